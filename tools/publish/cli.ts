import { parseArgs } from "node:util";
import { CHANNEL_GRAMMAR, isChannelName } from "../../lambdas/contract/channels";
import { LOCAL_CREDENTIALS } from "../fakes/local-aws";
import { OUTPUTS_FILE, OutputsFileError, readStackOutputs } from "../smoke/outputs-file";
import { SettingsError } from "../smoke/settings";
import { MAX_TIMER_MS } from "../smoke/timeout";
import { type PublishTarget, resolveTarget } from "./settings";

const USAGE = `npm run publish -- --channel room/a --data hello [--url http://127.0.0.1:8080]
                   [--function NAME] [--region REGION] [--outputs-file FILE] [--timeout SECONDS] [--json]

Publishes to a channel from the server side: invokes the stack's publish function with the Lambda
Invoke API (SigV4 by the AWS SDK, default credential chain), which delivers to the channel's
subscribers with {"from":{"server":true}} and answers the outcome.
--url http://127.0.0.1:PORT targets npm run dev (its local-publish function, signed with its key).
Without --url: the function and region from ${OUTPUTS_FILE} (npm run deploy writes them); flags win.
The call is made once, never retried: a retry after a timeout could publish twice.
--timeout: how long to wait for the answer (default 40; the function runs at most 29 s).
Exits 0 when every member got it (or, split, every part was queued), 1 when the publish failed or
reached only some, 2 on a usage error (nothing was sent).`;

/** The flags, parsed; throws for an unknown or malformed one. */
function parseFlags(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      channel: { type: "string" },
      data: { type: "string" },
      url: { type: "string" },
      function: { type: "string" },
      region: { type: "string" },
      "outputs-file": { type: "string", default: OUTPUTS_FILE },
      timeout: { type: "string", default: "40" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  }).values;
}

/** `npm run publish`: reads the flags, invokes the publish function once, prints the outcome. */
async function main(argv: string[]): Promise<number> {
  // "publish" is also npm's lifecycle script of `npm publish` (https://docs.npmjs.com/cli/v10/using-npm/scripts#npm-publish):
  // publishing the package must not run this command.
  if (process.env.npm_command === "publish") return 0;
  let values: ReturnType<typeof parseFlags>;
  try {
    values = parseFlags(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const usage = (problem: string) => {
    console.error(`${problem}\n\n${USAGE}`);
    return 2;
  };
  if (values.channel === undefined) return usage("--channel is required, e.g. --channel room/a");
  if (!isChannelName(values.channel)) {
    return usage(`--channel "${values.channel}" is not a channel name: ${CHANNEL_GRAMMAR}`);
  }
  if (values.data === undefined) return usage("--data is required, e.g. --data hello");
  const timeoutMs = Number(values.timeout) * 1000;
  if (!(timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS)) return usage(`--timeout must be a positive number of seconds, got "${values.timeout}"`);
  let target: PublishTarget;
  try {
    const outputs = values.url === undefined ? readStackOutputs(values["outputs-file"]) : undefined;
    target = resolveTarget({ url: values.url, functionName: values.function, region: values.region }, outputs, process.env);
  } catch (error) {
    if (error instanceof SettingsError || error instanceof OutputsFileError) return usage(error.message);
    throw error;
  }
  if (!values.json)
    console.log(`function ${target.functionName.value} (${target.functionName.source}), region ${target.region.value} (${target.region.source})`);
  // The SDK is loaded only for a call: a usage error answers without it.
  const [{ LambdaClient }, { describeOutcome, explainInvokeError, invokePublish, succeeded }] = await Promise.all([
    import("@aws-sdk/client-lambda"),
    import("./invoke"),
  ]);
  const client = new LambdaClient({
    region: target.region.value,
    ...(target.endpoint ? { endpoint: target.endpoint, credentials: LOCAL_CREDENTIALS } : {}),
    // One attempt: Invoke is not idempotent, and a retry after a timeout or a 5xx could deliver the message twice.
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 5000, requestTimeout: timeoutMs, throwOnRequestTimeout: true },
  });
  try {
    const outcome = await invokePublish(client, target.functionName.value, { channel: values.channel, data: values.data });
    console.log(values.json ? JSON.stringify(outcome) : describeOutcome(outcome));
    return succeeded(outcome) ? 0 : 1;
  } catch (error) {
    console.error(`error: ${explainInvokeError(error, target)}`);
    return 1;
  } finally {
    client.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
