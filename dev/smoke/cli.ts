import { parseArgs } from "node:util";
import { LOCAL_CREDENTIALS } from "../local-credentials";
import { runSmoke, type StepResult } from "./run-smoke";

const USAGE = `npm run smoke -- --url https://<domain> [--mapping-key websocket] [--region REGION] [--timeout SECONDS] [--json]

The source document's checks after \`cdktf deploy\` (or against \`npm run dev\`: --url http://127.0.0.1:8080):
the page, wss://<domain>/<mapping-key> echoing "hello world", then @connections GET/POST/DELETE signed
with SigV4 by the AWS SDK (default credential chain; a loopback URL uses the local gateway's dummy key).
Exits 0 when every step passes, 1 otherwise.`;

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

function line(step: StepResult): string {
  const mark = step.outcome === "pass" ? "PASS" : step.outcome === "fail" ? "FAIL" : "SKIP";
  const out = `${mark}  ${step.name.padEnd(8)} ${String(step.ms).padStart(6)} ms  ${step.detail}`;
  return step.hint ? `${out}\n      hint: ${step.hint}` : out;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: "string" },
      "mapping-key": { type: "string", default: "websocket" },
      region: { type: "string" },
      timeout: { type: "string", default: "10" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.url === undefined) {
    console.error(`--url is required\n\n${USAGE}`);
    return 2;
  }
  const timeout = Number(values.timeout);
  if (!(timeout > 0)) {
    console.error(`--timeout must be a positive number of seconds, got "${values.timeout}"`);
    return 2;
  }
  let hostname: string;
  try {
    hostname = new URL(values.url).hostname;
  } catch {
    console.error(`--url must be a URL such as https://chat.example.com, got "${values.url}"`);
    return 2;
  }
  const result = await runSmoke({
    url: values.url,
    mappingKey: values["mapping-key"],
    region: values.region,
    stepTimeoutMs: timeout * 1000,
    // The local gateway checks only the SigV4 header's shape, so any key will do there.
    credentials: LOOPBACK.has(hostname) ? LOCAL_CREDENTIALS : undefined,
    onStep: values.json ? undefined : (step) => console.log(line(step)),
  });
  if (values.json) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    const failed = result.steps.filter((s) => s.outcome === "fail").length;
    console.log(result.ok ? `all ${result.steps.length} checks passed for ${result.url}` : `${failed} of ${result.steps.length} checks failed for ${result.url}`);
  }
  return result.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
