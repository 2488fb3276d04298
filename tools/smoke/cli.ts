import { parseArgs } from "node:util";
import { LOCAL_CREDENTIALS } from "../fakes/local-aws";
import { OUTPUTS_FILE, OutputsFileError, readStackOutputs } from "./outputs-file";
import { header, stepLine, summary } from "./report";
import { runSmoke } from "./run-smoke";
import { isLoopback, resolveSettings, SettingsError, type SmokeSettings } from "./settings";
import { MAX_TIMER_MS } from "./timeout";

const MAX_TIMEOUT_SECONDS = Math.floor(MAX_TIMER_MS / 1000);

const USAGE = `npm run smoke [-- --url https://<domain>] [--mapping-key KEY] [--region REGION]
                 [--api-default-endpoint wss://<api-id>.execute-api.<region>.amazonaws.com/<stage>]
                 [--outputs-file FILE] [--timeout SECONDS] [--json]

The source document's checks after \`npm run deploy\` (or against \`npm run dev\`: --url http://127.0.0.1:8080):
the page, wss://<domain>/<mapping-key> echoing "hello world", then @connections GET/POST/DELETE signed
with SigV4 by the AWS SDK (default credential chain; a loopback URL signs with the local gateway's key AKIDLOCALDEV),
then that the API's default endpoint refuses sockets (skipped when that endpoint is unknown).
Without flags, the URL, mapping key, region and default endpoint come from ${OUTPUTS_FILE}, which
npm run deploy writes; flags win. --timeout is per step (default 10, at most ${MAX_TIMEOUT_SECONDS}).
Exits 0 when no check fails, 1 when one does, 2 on a usage error.`;

function parseTimeout(text: string): number {
  const seconds = Number(text);
  if (!(seconds > 0 && seconds <= MAX_TIMEOUT_SECONDS)) {
    // Node's timers take at most 2^31-1 ms; a larger delay fires at once (see timeout.ts).
    throw new SettingsError(`--timeout must be more than 0 and at most ${MAX_TIMEOUT_SECONDS} seconds (Node's timer limit), got "${text}"`);
  }
  return seconds * 1000;
}

/** The command line, read: help, or a run's settings. Throws SettingsError or OutputsFileError for a usage error. */
function readCommandLine(argv: string[]): "help" | { settings: SmokeSettings; stepTimeoutMs: number; json: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: "string" },
      "mapping-key": { type: "string" },
      region: { type: "string" },
      "api-default-endpoint": { type: "string" },
      "outputs-file": { type: "string", default: OUTPUTS_FILE },
      timeout: { type: "string", default: "10" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return "help";
  const stepTimeoutMs = parseTimeout(values.timeout);
  const settings = resolveSettings(
    { url: values.url, mappingKey: values["mapping-key"], region: values.region, apiDefaultEndpoint: values["api-default-endpoint"] },
    readStackOutputs(values["outputs-file"]),
    process.env,
  );
  return { settings, stepTimeoutMs, json: values.json };
}

/** `npm run smoke`: resolves the settings, prints them with their sources, runs the checks. */
async function main(argv: string[]): Promise<number> {
  let commandLine: ReturnType<typeof readCommandLine>;
  try {
    commandLine = readCommandLine(argv);
  } catch (error) {
    if (error instanceof SettingsError || error instanceof OutputsFileError) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (commandLine === "help") {
    console.log(USAGE);
    return 0;
  }
  const { settings, stepTimeoutMs, json } = commandLine;
  if (!json) console.log(header(settings));
  const result = await runSmoke({
    url: settings.url.value,
    mappingKey: settings.mappingKey.value,
    region: settings.region.value,
    apiDefaultEndpoint: settings.apiDefaultEndpoint.value,
    stepTimeoutMs,
    // The one key the local gateway accepts: it verifies the signature (tools/gateway/README.md).
    credentials: isLoopback(settings.url.value) ? LOCAL_CREDENTIALS : undefined,
    onStep: json ? undefined : (step) => console.log(stepLine(step)),
  });
  console.log(json ? JSON.stringify({ settings, ...result }, null, 2) : summary(result));
  return result.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
