// Once per test run: build dist/main.js (the tests that run the real app spawn it exactly as
// `cdktf synth` does), and say which outside tools are missing, once, before any test reports.
const { execFileSync, spawnSync } = require("node:child_process");
const { tmpdir } = require("node:os");
const { LAMBDA_BUNDLE_CACHE } = require("../../src/functions/lambda-bundle");
const { CHROMIUM_COMMANDS, findChromium } = require("./chromium");
const { makeRunDir } = require("./run-temp-dir");

/** Says once, before any test reports, what a missing tool means. */
const warn = (message) => process.stderr.write(`\n[tools] ${message}\n`);

/**
 * Points TMPDIR (os.tmpdir() of every suite and of every process they start) at a folder of its
 * own for this run, which global-teardown.js removes: a run makes hundreds of temporary folders
 * (synthesized stacks, Terraform roots, packed tarballs, browser profiles), about 75 MB, and two
 * runs side by side must not remove each other's. The caches kept in the temporary folder stay
 * shared between runs, as outside the tests: the Lambda zips (LAMBDA_BUNDLE_CACHE of
 * src/functions/lambda-bundle.ts). The folders of runs that were stopped before their teardown go first.
 */
function useRunTempDir() {
  const parent = process.env.TEST_RUN_TMP_PARENT ?? tmpdir();
  process.env.TEST_RUN_TMP_PARENT = parent;
  process.env.TMPDIR = makeRunDir(parent, [LAMBDA_BUNDLE_CACHE]);
}

module.exports = () => {
  useRunTempDir();
  // In Jest's own process, so every test environment and spawned child inherits it.
  require("../../tools/scripts/sdk-node-warning.cjs").quietSdkNodeVersionWarning();
  execFileSync(process.execPath, ["tools/scripts/build-app.mjs"], { stdio: ["ignore", "ignore", "inherit"] });
  const terraform = spawnSync("terraform", ["version"], { stdio: "ignore" });
  if (terraform.error || terraform.status !== 0) {
    warn("terraform is not on PATH: the Terraform suites will FAIL: install Terraform >= 1.10 and put it on PATH");
  }
  // The browser the page suites would run (support/chromium.ts).
  if (findChromium() === undefined) {
    warn(
      `none of ${CHROMIUM_COMMANDS.join(", ")} is on PATH: the browser tests (chat-page, auth-page, split-page) will be SKIPPED: apt-get install -y chromium-headless-shell`,
    );
  }
};
