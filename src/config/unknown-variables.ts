/** The prefix of every variable the configuration reads. */
const PREFIX = "WSCF_";

/** Levenshtein distance: how many single-character edits turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The known name a mistyped `name` most likely meant: a close spelling, or the one it is the start of. */
function closest(name: string, known: readonly string[]): string | undefined {
  const [best] = known
    .map((candidate) => ({ candidate, distance: candidate.startsWith(`${name}_`) ? 1 : editDistance(name, candidate) }))
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate));
  // Within a third of the name's own part: WSCF_REGON → WSCF_REGION, but WSCF_X suggests nothing.
  return best !== undefined && best.distance <= Math.max(2, Math.floor((name.length - PREFIX.length) / 3)) ? best.candidate : undefined;
}

/**
 * One problem per WSCF_* variable of `env` that is not in `known`: a mistyped name (WSCF_DOMAIN for
 * WSCF_DOMAIN_NAME) would otherwise be ignored without a word, and the stack built from the
 * defaults (the example domain) instead of what the user meant.
 */
export function unknownVariableProblems(env: NodeJS.ProcessEnv, known: readonly string[]): string[] {
  return Object.keys(env)
    .filter((name) => name.startsWith(PREFIX) && !known.includes(name))
    .sort()
    .map((name) => {
      const meant = closest(name, known);
      return `${name} is not a setting${meant ? `: did you mean ${meant}?` : ""} (the WSCF_* variables are listed in docs/configuration.md; unset it)`;
    });
}
