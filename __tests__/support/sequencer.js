// Jest's order, with the longest suites first whatever Jest remembers (a fresh CI machine remembers
// nothing and would order by file size): a suite that takes a minute, started last, would end the
// run a minute after everything else.
const Sequencer = require("@jest/test-sequencer").default;

/**
 * The type check first (a type error shows within seconds), then the longest suites, longest first
 * (docs/testing.md has the timings). The suites that mostly wait on a timer (timeouts of a hung
 * peer, a rate bucket refilling, a reconnect's backoff) run beside the Terraform suites, whose
 * processes keep the cores busy by themselves: next to each other they would leave a core idle, and
 * the two Terraform suites side by side cost more CPU than one after the other (measured).
 */
const FIRST = [
  "typecheck",
  "terraform-plan",
  "queue-client",
  "rate-flood-close",
  "terraform-apply",
  "chat-sendmessage",
  "dev-gateway-limits",
  "package-consumer",
  "dev-cli",
  "chat-page",
  "split-page",
  // Shorter suites that mostly wait, beside the long ones above: the suites left for the end
  // compute, so that two of them keep both cores busy.
  "fanout-worker",
  "smoke",
  "dev-gateway-clients",
  "chat-routes",
  "dev-server-limits",
  "channels-gateway",
  "dev-local-queue",
  "chat-metrics",
];

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
