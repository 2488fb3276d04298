import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { resourcesOf, synthStack } from "./support/synth";

// A plain .cjs (the Jest global setup and `node --require` load it without a TypeScript step).
const { LAMBDA_NODE_MAJOR, quietSdkNodeVersionWarning } = require("../tools/scripts/sdk-node-warning.cjs") as {
  LAMBDA_NODE_MAJOR: number;
  quietSdkNodeVersionWarning(env: NodeJS.ProcessEnv, nodeVersion: string): void;
};

const SWITCH = "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED";
const SDK_WARNING = /NodeVersionSupportWarning/;
const runningMajor = Number.parseInt(process.versions.node, 10);

/** This environment without the SDK switch that the Jest global setup put into it. */
function envWithoutSwitch(): NodeJS.ProcessEnv {
  const { [SWITCH]: _dropped, ...rest } = process.env;
  return rest;
}

/** Runs a Node process on this Node (stopped by SIGTERM once stdout matches `until`); what it printed. */
async function run(args: string[], until?: RegExp): Promise<{ stdout: string; stderr: string }> {
  const child = spawn(process.execPath, args, { env: { ...envWithoutSwitch(), POWERTOOLS_LOG_LEVEL: "ERROR" } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
    if (until?.test(stdout)) child.kill("SIGTERM");
  });
  child.stderr.on("data", (chunk) => (stderr += chunk));
  await once(child, "exit");
  return { stdout, stderr };
}

/** Builds one real SDK client, then emits an unrelated warning, optionally after the switch. */
const clientScript = (quiet: boolean) => `
  ${quiet ? 'require("./tools/scripts/sdk-node-warning.cjs").quietSdkNodeVersionWarning();' : ""}
  const { DynamoDBClient } = require("@aws-sdk/client-dynamodb");
  new DynamoDBClient({ region: "us-east-1" });
  process.emitWarning("an unrelated warning", "OtherWarning");`;

jest.setTimeout(30_000);

describe("Node versions: the functions' Lambda Node and the local one", () => {
  test(".nvmrc names the Node major that every function runs on in Lambda", () => {
    const { tf } = synthStack();
    const runtimes = new Set(resourcesOf(tf, "aws_lambda_function").map((fn) => fn.runtime));

    expect(readFileSync(".nvmrc", "utf8").trim()).toBe(String(LAMBDA_NODE_MAJOR));
    expect([...runtimes]).toEqual([`nodejs${LAMBDA_NODE_MAJOR}.x`]);
  });

  test("the AWS SDK warns about the local Node exactly when it is older than the Lambda Node", async () => {
    const { stderr } = await run(["-e", clientScript(false)]);

    // On Node 20 this is the warning the switch exists for; on Node 22 the SDK has nothing to say.
    expect(SDK_WARNING.test(stderr)).toBe(runningMajor < LAMBDA_NODE_MAJOR);
  });

  test("with the switch the SDK's Node warning is gone and other warnings still print", async () => {
    const { stderr } = await run(["-e", clientScript(true)]);

    expect(stderr).not.toMatch(SDK_WARNING);
    expect(stderr).toContain("OtherWarning: an unrelated warning");
  });

  test("npm run dev starts without the SDK's Node warning", async () => {
    // package.json's own command line (`node --require ./tools/scripts/sdk-node-warning.cjs --require ./tools/scripts/run-ts.cjs tools/gateway/cli.ts`).
    const [, ...args] = (require("../package.json") as { scripts: { dev: string } }).scripts.dev.split(" ");
    const { stdout, stderr } = await run([...args, "--port", "0", "--quiet"], /is up/);

    expect(stdout).toMatch(/is up/);
    expect(stderr).not.toMatch(SDK_WARNING);
  });

  test("the switch is set only below the Lambda Node, and a value the user chose is kept", () => {
    const below: NodeJS.ProcessEnv = {};
    const lambdaNode: NodeJS.ProcessEnv = {};
    const userChoice: NodeJS.ProcessEnv = { [SWITCH]: "false" };

    quietSdkNodeVersionWarning(below, `${LAMBDA_NODE_MAJOR - 2}.20.2`);
    quietSdkNodeVersionWarning(lambdaNode, `${LAMBDA_NODE_MAJOR}.23.3`);
    quietSdkNodeVersionWarning(userChoice, `${LAMBDA_NODE_MAJOR - 2}.20.2`);

    expect(below[SWITCH]).toBe("true");
    expect(lambdaNode[SWITCH]).toBeUndefined();
    expect(userChoice[SWITCH]).toBe("false");
  });
});
