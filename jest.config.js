/** Jest: swc strips types (fast); typecheck.test.ts type-checks the tree once, beside the other suites. */
const { availableParallelism } = require("node:os");

module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>"],
  testMatch: ["**/__tests__/**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }],
    // jose ships ES modules only; Jest's module system loads CommonJS, so swc converts it.
    "/node_modules/jose/.+\\.js$": ["@swc/jest", { jsc: { target: "es2022" }, module: { type: "commonjs" } }],
  },
  transformIgnorePatterns: ["/node_modules/(?!jose/)"],
  setupFilesAfterEnv: ["<rootDir>/setup.js", "<rootDir>/__tests__/support/plain-token-stacks.js"],
  globalSetup: "<rootDir>/__tests__/support/global-setup.js",
  globalTeardown: "<rootDir>/__tests__/support/global-teardown.js",
  testPathIgnorePatterns: ["/node_modules/", "/cdktf.out/", "/dist/"],
  // Many tests start a process (synth, npm, terraform), a local server or DynamoDB stand-in: on a
  // 2-core machine shared with another run they take several seconds, beyond Jest's 5 s default.
  // Suites that need more (browsers, Terraform) set their own budget.
  testTimeout: 30_000,
  // Two suites at once on a 2-core machine (Jest's default there is one): many suites mostly wait
  // (on a server, a browser, a timer) while the other computes. Measured in docs/testing.md.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  // The longest suites first, also on a machine that has no timings of a previous run.
  testSequencer: "<rootDir>/__tests__/support/sequencer.js",
};
