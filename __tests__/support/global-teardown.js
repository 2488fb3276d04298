// Once per test run, after the last suite: removes the run's temporary folder (global-setup.js),
// with everything the suites, Terraform and the browser left in it.
const { rmSync } = require("node:fs");

module.exports = () => {
  const runDir = process.env.TMPDIR;
  process.env.TMPDIR = process.env.TEST_RUN_TMP_PARENT;
  if (runDir !== undefined && runDir !== process.env.TMPDIR) rmSync(runDir, { recursive: true, force: true });
};
