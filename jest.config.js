/** Jest: swc strips types (fast); `tsc --noEmit` in `npm test` type-checks once. */
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
  setupFilesAfterEnv: ["<rootDir>/setup.js"],
  globalSetup: "<rootDir>/__tests__/support/global-setup.js",
  testPathIgnorePatterns: ["/node_modules/", "/cdktf.out/", "/dist/"],
  // Many tests start a process (synth, npm, terraform), a local server or DynamoDB stand-in: on a
  // 2-core machine shared with another run they take several seconds, beyond Jest's 5 s default.
  // Suites that need more (browsers, Terraform) set their own budget.
  testTimeout: 30_000,
};
