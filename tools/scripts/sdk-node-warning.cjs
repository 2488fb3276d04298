// The functions run on Lambda's Node.js 22 (nodejs22.x, the major in .nvmrc). On an older local Node
// (the system Node 20 on these machines) every process that builds an AWS SDK v3 client prints an
// 8-line NodeVersionSupportWarning: SDK releases after the first week of January 2027 need Node >= 22.
// That warning is about the Node running our tests and dev tools, not about the functions, so the
// Jest global setup and the dev tools (`node --require ./tools/scripts/sdk-node-warning.cjs …` in
// package.json's dev and smoke scripts) turn off that one warning with the
// SDK's own switch, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true, documented in the SDK's
// announcement https://github.com/aws/aws-sdk-js-v3/issues/7983 and read by
// @aws-sdk/core's emitWarningIfUnsupportedVersion. Every other warning still prints.
const { readFileSync } = require("node:fs");
const path = require("node:path");

/** The Node.js major the functions run on in Lambda, from .nvmrc ("22"). */
const LAMBDA_NODE_MAJOR = Number.parseInt(
  readFileSync(path.join(__dirname, "..", "..", ".nvmrc"), "utf8")
    .trim()
    .replace(/^v/, ""),
  10,
);

/**
 * Turns off the AWS SDK's Node-version warning when this Node is older than the functions' Lambda
 * Node; from that major on it changes nothing, and a value the user set is kept.
 * @param {NodeJS.ProcessEnv} env the environment to change (and that child processes inherit)
 * @param {string} nodeVersion the running Node's version, e.g. "20.20.2"
 */
function quietSdkNodeVersionWarning(env = process.env, nodeVersion = process.versions.node) {
  if (Number.parseInt(nodeVersion, 10) < LAMBDA_NODE_MAJOR) {
    env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  }
}

// Preloaded with `node --require` (no main module yet): apply at once, before any SDK client exists.
if (require.main === undefined) quietSdkNodeVersionWarning();

exports.LAMBDA_NODE_MAJOR = LAMBDA_NODE_MAJOR;
exports.quietSdkNodeVersionWarning = quietSdkNodeVersionWarning;
