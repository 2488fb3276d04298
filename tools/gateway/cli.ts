import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { CHAT_SUBPROTOCOL } from "../../lambdas/contract/auth-subprotocol";
import { CHANNEL_ACTIONS } from "../../lambdas/contract/channels";
import { PROJECT_ROOT } from "../../src/functions/project-root";
import { QUIET_HANDLERS } from "./handlers";
import { localFunctionName } from "./invoker";
import { runWatched } from "./watch";

const USAGE = `npm run dev [-- --port N] [--host ADDR] [--site DIR] [--idle-timeout SECONDS] [--quiet] [--watch] [--auth]

Local stand-in for CloudFront + API Gateway, for development only (not a production server):
the site folder at /, the WebSocket API at /<mappingKey> running the real handlers in-process,
the @connections API at /<mappingKey>/@connections/{id}, connections in an in-memory dynalite.
It runs your configuration as synth reads it (wscf.config.json, then WSCF_* variables): the mapping
key, stage throttling, message rate, fan-out settings and site folder (--site overrides the last).
PORT=N works as well as --port N (default 8080).
--quiet keeps the gateway's one line per event and drops the handlers' JSON logs below ERROR.
--watch restarts the gateway when a file under lambdas/, src/, tools/gateway/ or the site folder changes
(open sockets close, the page reconnects; the in-memory table starts empty).
--auth runs the $connect authorizer against a JWT issuer of its own on loopback and prints a test token.`;

/** `npm run dev`: starts the local gateway, prints its URLs, stops cleanly on Ctrl-C or SIGTERM. */
async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      host: { type: "string", default: "127.0.0.1" },
      site: { type: "string" },
      "idle-timeout": { type: "string" },
      quiet: { type: "boolean", default: false },
      watch: { type: "boolean", default: false },
      auth: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const portText = values.port ?? process.env.PORT ?? "8080";
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port/PORT must be an integer from 0 to 65535, got "${portText}"`);
    return 2;
  }
  const idleSeconds = values["idle-timeout"] === undefined ? undefined : Number(values["idle-timeout"]);
  if (idleSeconds !== undefined && !(idleSeconds > 0)) {
    console.error(`--idle-timeout must be a positive number of seconds, got "${values["idle-timeout"]}"`);
    return 2;
  }
  const time = () => new Date().toISOString().slice(11, 23);
  if (values.watch) {
    return runWatched({
      paths: [resolve(PROJECT_ROOT, "lambdas"), resolve(PROJECT_ROOT, "src"), __dirname, resolve(values.site ?? "site")],
      // This same command without --watch, with the same --require hook (run-ts.cjs, in execArgv):
      // the restart bundles the changed sources again.
      start: () => spawn(process.execPath, [...process.execArgv, process.argv[1], ...argv.filter((arg) => arg !== "--watch")], { stdio: "inherit" }),
      log: (line) => console.log(`${time()} ${line}`),
    });
  }

  // Loaded only now: a usage error, or the --watch parent (which only restarts this command),
  // never loads the gateway, the SDK clients, the database or the handlers.
  const [{ loadConfigOrExit }, { configuredServerOptions }, { startLocalIssuer }, { PortInUseError, startDevServer }, { LOCAL_CREDENTIALS }] =
    await Promise.all([
      import("../../src/config/load-config-or-exit"),
      import("./configured"),
      import("./local-issuer"),
      import("./server"),
      import("../fakes/local-aws"),
    ]);
  // The user's configuration, as synth reads it: an invalid one is listed and nothing starts.
  const configured = configuredServerOptions(loadConfigOrExit(process.env).config);
  // --auth: the real $connect authorizer against a JWT issuer of its own on loopback.
  const issuer = values.auth ? await startLocalIssuer() : undefined;
  const server = await startDevServer({
    ...configured,
    authorizerEnvironment: issuer?.environment,
    port,
    host: values.host,
    siteDir: values.site ?? configured.siteDir,
    idleTimeoutMs: idleSeconds === undefined ? undefined : idleSeconds * 1000,
    log: (line) => console.log(`${time()} ${line}`),
    handlerEnvironment: { ...configured.handlerEnvironment, ...(values.quiet ? QUIET_HANDLERS : {}) },
  }).catch((error: unknown) => {
    if (!(error instanceof PortInUseError)) throw error;
    console.error(`error: ${error.message}`);
    return undefined;
  });
  if (server === undefined) {
    await issuer?.close();
    return 1;
  }
  console.log(`Local gateway (development aid, not for production) is up:
  site         ${server.url}/
  websocket    ${server.websocketUrl}
  @connections ${server.managementEndpoint}/@connections/{connectionId}
               SigV4 for execute-api in ${server.region}, key ${LOCAL_CREDENTIALS.accessKeyId} / secret ${LOCAL_CREDENTIALS.secretAccessKey}
  dynamodb     ${server.dynamodb.endpoint}  table ${server.dynamodb.tableName} (in memory)
  lambda       ${server.url}/2015-03-31/functions/${localFunctionName(CHANNEL_ACTIONS.publish)}/invocations  (Invoke API, SigV4 for lambda, same key)
Check it:     npm run smoke -- --url ${server.url}
Publish:      npm run publish -- --url ${server.url} --channel room/a --data hello
Ctrl-C stops it.`);
  if (issuer)
    console.log(`Auth is on: open ${server.url}/#token=<token> or offer the token beside the ${CHAT_SUBPROTOCOL} subprotocol.\ntoken: ${await issuer.sign()}`);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      console.log(`\n${signal}: closing sockets (1001), stopping the database...`);
      resolve();
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
  await server.close();
  await issuer?.close();
  console.log("stopped");
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
