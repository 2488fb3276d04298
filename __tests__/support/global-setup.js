// Builds dist/main.js once per test run: the tests that run the real app (config errors,
// determinism, terraform plan) spawn it exactly as `cdktf synth` does.
const { execFileSync } = require("node:child_process");

module.exports = () => {
  // In Jest's own process, so every test environment and spawned child inherits it.
  require("../../scripts/sdk-node-warning.cjs").quietSdkNodeVersionWarning();
  execFileSync(process.execPath, ["scripts/build-app.mjs"], { stdio: "inherit" });
};
