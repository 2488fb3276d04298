// Once per test run: build dist/main.js (the tests that run the real app spawn it exactly as
// `cdktf synth` does), and say which outside tools are missing, once, before any test reports.
const { execFileSync, spawnSync } = require("node:child_process");

/** The tools some suites need from the machine, and what their absence means. */
const TOOLS = [
  { command: "terraform", args: ["version"], missing: "terraform-plan.test.ts will FAIL: install Terraform >= 1.10 and put it on PATH" },
  { command: "chromium", args: ["--version"], missing: "the browser tests (chat-page, auth-page, split-page) will be SKIPPED: apt-get install -y chromium" },
];

module.exports = () => {
  // In Jest's own process, so every test environment and spawned child inherits it.
  require("../../tools/scripts/sdk-node-warning.cjs").quietSdkNodeVersionWarning();
  execFileSync(process.execPath, ["tools/scripts/build-app.mjs"], { stdio: ["ignore", "ignore", "inherit"] });
  for (const tool of TOOLS) {
    const probe = spawnSync(tool.command, tool.args, { stdio: "ignore" });
    if (probe.error || probe.status !== 0) process.stderr.write(`\n[tools] ${tool.command} is not on PATH: ${tool.missing}\n`);
  }
};
