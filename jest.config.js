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
};
