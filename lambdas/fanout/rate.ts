/** One worker's share of the rate budget, shrinking on throttling and growing back. */

export interface AdaptiveRateOptions {
  /** The ceiling: this worker's share of the rate budget, posts per second. */
  readonly maxPerSecond: number;
  /** The floor the rate never shrinks below. @default maxPerSecond / 64 */
  readonly minPerSecond?: number;
  /** Posts that may start back to back before the spacing applies (a token bucket's capacity). @default 1 */
  readonly burst?: number;
  /** Posts per second regained per second after a cut. @default maxPerSecond / 10 (full rate back within 10 s) */
  readonly recoveryPerSecond?: number;
  /** Minimum milliseconds between two cuts: the posts in flight when the first 429 came answer 429 too. @default 1000 */
  readonly cutCooldownMs?: number;
  /** Clock in milliseconds. @default performance.now */
  readonly now?: () => number;
  /** Waits `ms` milliseconds. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * A token bucket whose rate follows AIMD, as TCP's congestion control does: a 429 halves the
 * rate (at most once per cooldown), and every second without one adds back a fixed step up to the
 * ceiling. `acquire()` reserves the next slot synchronously, so concurrent callers are spaced
 * (GCRA: a theoretical arrival time advanced by one interval per post).
 */
export class AdaptiveRate {
  private rate: number;
  private readonly max: number;
  private readonly min: number;
  private readonly burst: number;
  private readonly recovery: number;
  private readonly cooldown: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private arrival: number;
  private lastUpdate: number;
  private lastCut = Number.NEGATIVE_INFINITY;

  constructor(options: AdaptiveRateOptions) {
    if (!(options.maxPerSecond > 0)) throw new RangeError(`maxPerSecond must be positive, got ${options.maxPerSecond}`);
    this.max = options.maxPerSecond;
    this.min = Math.min(this.max, options.minPerSecond ?? this.max / 64);
    this.burst = Math.max(1, options.burst ?? 1);
    this.recovery = options.recoveryPerSecond ?? this.max / 10;
    this.cooldown = options.cutCooldownMs ?? 1000;
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.rate = this.max;
    this.arrival = this.now();
    this.lastUpdate = this.arrival;
  }

  /** The current rate, posts per second. */
  get perSecond(): number {
    this.regain(this.now());
    return this.rate;
  }

  /** Resolves when the caller may post. */
  acquire(): Promise<void> {
    const t = this.now();
    this.regain(t);
    const interval = 1000 / this.rate;
    const arrival = Math.max(this.arrival, t);
    const start = Math.max(t, arrival - (this.burst - 1) * interval);
    this.arrival = arrival + interval;
    return start > t ? this.sleep(start - t) : Promise.resolve();
  }

  /** A post was throttled (429): halve the rate, unless it was just halved. */
  throttled(): void {
    const t = this.now();
    this.regain(t);
    if (t - this.lastCut < this.cooldown) return;
    this.lastCut = t;
    this.rate = Math.max(this.min, this.rate / 2);
  }

  /** Adds back the recovery for the time since the last update, not counting a cut's cooldown. */
  private regain(t: number): void {
    const from = Math.max(this.lastUpdate, this.lastCut + this.cooldown);
    this.lastUpdate = t;
    if (t > from) this.rate = Math.min(this.max, this.rate + (this.recovery * (t - from)) / 1000);
  }
}
