/** Jest: swc strips types (fast); `tsc --noEmit` in `npm test` type-checks once. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>"],
  testMatch: ["**/__tests__/**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  setupFilesAfterEnv: ["<rootDir>/setup.js"],
  globalSetup: "<rootDir>/__tests__/support/global-setup.js",
  testPathIgnorePatterns: ["/node_modules/", "/cdktf.out/", "/dist/"],
};
