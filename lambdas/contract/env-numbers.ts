/**
 * Numbers read from a function's environment, as every contract reads them: unset or blank gives
 * the default; anything else must be a number in range, or the variable is named among the
 * problems and the default is used meanwhile (never NaN), so one cold start lists every mistake.
 */
export class EnvNumbers {
  readonly problems: string[] = [];

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** An integer from `min` to `max`. */
  integer(name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
    return this.read(name, fallback, (n) => Number.isInteger(n) && n >= min && n <= max, `an integer from ${min} to ${max}`);
  }

  /** A number above `above`, at most `max`. */
  above(name: string, fallback: number, above: number, max: number): number {
    return this.read(name, fallback, (n) => n > above && n <= max, `a number above ${above}, at most ${max}`);
  }

  private read(name: string, fallback: number, valid: (n: number) => boolean, allowed: string): number {
    const raw = this.env[name]?.trim() ?? "";
    if (raw === "") return fallback;
    const value = Number(raw);
    if (Number.isFinite(value) && valid(value)) return value;
    this.problems.push(`${name} is ${JSON.stringify(raw)}: expected ${allowed}`);
    return fallback;
  }
}
