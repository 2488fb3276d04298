// Jest's order, with the longest suites first whatever Jest remembers (a fresh CI machine remembers
// nothing and would order by file size): a suite that takes a minute, started last, would end the
// run a minute after everything else.
const Sequencer = require("@jest/test-sequencer").default;

/**
 * The type check first (a type error shows within seconds), then the longest suites, longest first
 * (docs/testing.md has the timings).
 */
const FIRST = ["typecheck", "terraform-plan", "terraform-apply", "package-consumer", "dev-cli", "chat-page", "split-page"];

const rank = (test) => {
  const index = FIRST.findIndex((name) => test.path.endsWith(`/${name}.test.ts`));
  return index === -1 ? FIRST.length : index;
};

class LongestFirst extends Sequencer {
  sort(tests) {
    const ordered = super.sort(tests);
    const position = new Map(ordered.map((test, index) => [test, index]));
    return [...ordered].sort((a, b) => rank(a) - rank(b) || position.get(a) - position.get(b));
  }
}

module.exports = LongestFirst;
