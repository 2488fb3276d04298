// Builds dist/main.js once per test run: the tests that run the real app (config errors,
// determinism, terraform plan) spawn it exactly as `cdktf synth` does.
const { execFileSync } = require("node:child_process");
const { quietSdkNodeVersionWarning } = require("../../scripts/sdk-node-warning.cjs");

module.exports = () => {
  // Set here, in Jest's own process, so every test environment and spawned child inherits it.
  quietSdkNodeVersionWarning();
  execFileSync(process.execPath, ["scripts/build-app.mjs"], { stdio: "inherit" });
};
