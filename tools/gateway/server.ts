import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DEFAULT_FANOUT_CONCURRENCY, SETTINGS_ENV } from "../../lambdas/contract/settings";
import { CONFIG_DEFAULTS } from "../../src/config/config-defaults";
import { pageSettingsFile } from "../../src/config/page-settings";
import { API_GATEWAY_LIMITS } from "../../lambdas/contract/api-gateway-limits";
import { ConnectionRegistry } from "./connection-registry";
import { loadAuthorizer, loadHandlers } from "./handlers";
import { routeRequest } from "./http-routes";
import { RouteInvoker } from "./invoker";
import { LocalAuthorizer } from "./local-authorizer";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../fakes/local-aws";
import { type LocalFanout, startLocalFanout } from "./local-fanout";
import { startLocalDynamoDb, type LocalDynamoDb } from "./local-dynamodb";
import { RouteThrottle, type ThrottlingSettings } from "./route-throttle";
import { UpgradeHandler } from "./upgrade";

export { API_GATEWAY_LIMITS };

/** The stage's default route throttling when the configuration sets none: the config schema's default, as deployed. */
export const DEFAULT_THROTTLING: ThrottlingSettings = CONFIG_DEFAULTS.throttling;

/** Lambda's default concurrency: 1,000 executions per account and Region (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). */
export const LAMBDA_DEFAULT_CONCURRENCY = 1000;

/**
 * Bytes one client may leave unread in the gateway before @connections POSTs to it answer 429.
 * AWS does not publish its own buffer's size; this is the local gateway's choice.
 */
export const DEFAULT_OUTBOUND_BUFFER_BYTES = 1024 * 1024;

export interface DevServerOptions {
  /** TCP port; 0 picks a free one (tests). @default 8080 */
  readonly port?: number;
  /** Interface to listen on. @default "127.0.0.1" (loopback only: a development aid) */
  readonly host?: string;
  /** Folder served at `/`, like the S3 origin. @default "site" (relative to the working directory) */
  readonly siteDir?: string;
  /** API mapping key: the socket lives at `/<mappingKey>`, @connections under it (R3). @default the configuration's default mapping key */
  readonly mappingKey?: string;
  /** Stage name the events report (R10: never used to build the endpoint). @default the configuration's default stage */
  readonly stage?: string;
  /** Region the handlers' SDK clients use. @default the configuration's default region */
  readonly region?: string;
  /** Table name given to the handlers. @default "connections" */
  readonly tableName?: string;
  /** FANOUT_CONCURRENCY for sendmessage. @default DEFAULT_FANOUT_CONCURRENCY (50, as deployed) */
  readonly fanoutConcurrency?: number;
  /** @default 10 minutes (API Gateway's idle timeout) */
  readonly idleTimeoutMs?: number;
  /** @default 2 hours (API Gateway's connection duration) */
  readonly maxConnectionMs?: number;
  /** Message size limit in both directions. @default 128 KiB */
  readonly maxMessageBytes?: number;
  /** Stage default route throttling, a token bucket per route. @default the configuration's default, {@link DEFAULT_THROTTLING} */
  readonly throttling?: ThrottlingSettings;
  /** Handler invocations running at once, all routes together; beyond it they are throttled as Lambda does. @default 1000 */
  readonly maxConcurrentInvocations?: number;
  /** Unread bytes per client before @connections POSTs to it answer 429 LimitExceededException. @default 1 MiB */
  readonly maxOutboundBufferBytes?: number;
  /**
   * API Gateway only makes a best effort to deliver `$disconnect`. With false, a connection lost
   * without a close frame (1006) gets none, as can happen on AWS, and its row stays in the table
   * until a broadcast meets 410 Gone and prunes it.
   * @default true
   */
  readonly disconnectOnAbnormalClose?: boolean;
  /**
   * Extra environment for the handlers, e.g. `{ POWERTOOLS_LOG_LEVEL: "WARN" }` to quiet their logs.
   * @default none
   */
  readonly handlerEnvironment?: Readonly<Record<string, string>>;
  /**
   * Run the `$connect` authorizer (lambdas/authorizer.ts) with this environment (AUTH_ISSUER,
   * AUTH_AUDIENCE, AUTH_JWKS_URI: see tools/gateway/local-issuer.ts), as `auth: jwt` deploys it. @default - anyone connects
   */
  readonly authorizerEnvironment?: Readonly<Record<string, string>>;
  /** One line per connection event and invocation. @default no output */
  readonly log?: (line: string) => void;
}

export interface DevServer {
  /** `http://<host>:<port>`: the site. */
  readonly url: string;
  /** `ws://<host>:<port>/<mappingKey>`: the socket. */
  readonly websocketUrl: string;
  /** `http://<host>:<port>/<mappingKey>`: the @connections endpoint, as the handlers get it (R10). */
  readonly managementEndpoint: string;
  /** The region @connections requests must be signed for (with {@link LOCAL_CREDENTIALS}, service `execute-api`). */
  readonly region: string;
  readonly port: number;
  /** The DynamoDB-compatible server holding the connections table. */
  readonly dynamodb: { readonly endpoint: string; readonly tableName: string; readonly membersTable: string };
  /** Ids of the sockets open right now. */
  connectionIds(): string[];
  /** Bytes the gateway holds for a client that has not read them yet (bounded by `maxOutboundBufferBytes`); undefined for a closed connection. */
  unreadBytes(connectionId: string): number | undefined;
  /** Closes every socket with 1001, waits for their `$disconnect`, stops the server and the database. */
  close(): Promise<void>;
}

/** The port is taken: says so and how to pick another. */
export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    host: string,
  ) {
    super(
      `port ${port} on ${host} is already in use (another \`npm run dev\`?). Stop that process or pick another port: npm run dev -- --port ${port + 1}  (or PORT=${port + 1} npm run dev)`,
    );
    this.name = "PortInUseError";
  }
}

async function listen(server: Server, port: number, host: string): Promise<void> {
  server.listen(port, host);
  try {
    await once(server, "listening");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") throw new PortInUseError(port, host);
    throw error;
  }
}

/** The handlers' environment, as the stack sets it (src/chat/chat-backend.ts), pointed at the local services. */
function handlerSettings(options: DevServerOptions, tableName: string, region: string, managementEndpoint: string, db: LocalDynamoDb): Record<string, string> {
  return {
    [SETTINGS_ENV.tableName]: tableName,
    [SETTINGS_ENV.managementEndpoint]: managementEndpoint,
    [SETTINGS_ENV.fanoutConcurrency]: String(options.fanoutConcurrency ?? DEFAULT_FANOUT_CONCURRENCY),
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    [SETTINGS_ENV.membersTable]: db.membersTable,
    // As the stack sets it: with the authorizer, a token's channels claim limits channels.
    [SETTINGS_ENV.channelAccess]: options.authorizerEnvironment ? "claims" : "open",
    ...options.authorizerEnvironment,
    ...options.handlerEnvironment,
  };
}

/**
 * Starts the local stand-in for CloudFront + API Gateway (a development aid, not a production
 * server): the site at `/`, the WebSocket API at `/<mappingKey>` running the real handlers
 * in-process, and the @connections API under `/<mappingKey>/@connections/`, on one port (R1).
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const host = options.host ?? "127.0.0.1";
  const socketPath = `/${options.mappingKey ?? CONFIG_DEFAULTS.mappingKey}`;
  const region = options.region ?? LOCAL_REGION;
  const tableName = options.tableName ?? "connections";
  const maxMessageBytes = options.maxMessageBytes ?? API_GATEWAY_LIMITS.maxMessageBytes;
  const log = options.log ?? (() => undefined);

  const registry = new ConnectionRegistry({
    idleTimeoutMs: options.idleTimeoutMs ?? API_GATEWAY_LIMITS.idleTimeoutMs,
    maxConnectionMs: options.maxConnectionMs ?? API_GATEWAY_LIMITS.maxConnectionMs,
    maxOutboundBufferBytes: options.maxOutboundBufferBytes ?? DEFAULT_OUTBOUND_BUFFER_BYTES,
  });
  let closing = false;
  const server = createServer();

  const db = await startLocalDynamoDb(tableName, region);
  try {
    await listen(server, options.port ?? 8080, host);
  } catch (error) {
    await db.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const authority = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  const url = `http://${authority}`;
  const managementEndpoint = `${url}${socketPath}`;

  let invoker: RouteInvoker;
  let authorizer: LocalAuthorizer | undefined;
  const api = { apiId: "local", domainName: authority, stage: options.stage ?? CONFIG_DEFAULTS.stageName };
  let fanout: LocalFanout | undefined;
  try {
    const settings = handlerSettings(options, tableName, region, managementEndpoint, db);
    fanout = await startLocalFanout({ ...process.env, ...settings }, region, log);
    invoker = new RouteInvoker({
      handlers: await loadHandlers({ ...settings, ...fanout.env }),
      api,
      region,
      maxConcurrentInvocations: options.maxConcurrentInvocations ?? LAMBDA_DEFAULT_CONCURRENCY,
      log,
    });
    if (options.authorizerEnvironment) authorizer = new LocalAuthorizer(await loadAuthorizer(), api, region, log);
    await fanout.startWorkers();
  } catch (error) {
    server.close();
    await fanout?.close();
    await db.close();
    throw error;
  }

  // The page's settings, byte for byte as the stack writes them into the bucket.
  const settingsFile = pageSettingsFile({ websocketPath: socketPath.slice(1) });
  const generated = new Map([[settingsFile.key, settingsFile]]);
  const routes = {
    socketPath,
    siteDir: options.siteDir ?? "site",
    generated,
    management: { lookup: (id: string) => registry.get(id), maxMessageBytes, signing: { credentials: LOCAL_CREDENTIALS, region } },
    // The Lambda Invoke API, for a backend's server-side publish: the same key, service `lambda`.
    invoke: { invoker, signing: { credentials: LOCAL_CREDENTIALS, region, service: "lambda" } },
  };
  server.on("request", (req, res) => {
    routeRequest(routes, req, res).catch((error: unknown) => {
      log(`request ${req.method} ${req.url} failed: ${String(error)}`);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  const upgrades = new UpgradeHandler({
    registry,
    invoker,
    throttle: new RouteThrottle(options.throttling ?? DEFAULT_THROTTLING),
    disconnectOnAbnormalClose: options.disconnectOnAbnormalClose ?? true,
    log,
    socketPath,
    maxMessageBytes,
    isClosing: () => closing,
    authorizer,
  });
  server.on("upgrade", (req, socket, head: Buffer) => {
    socket.on("error", () => undefined);
    upgrades.handle(req, socket, head).catch((error: unknown) => {
      log(`upgrade failed: ${String(error)}`);
      socket.destroy();
    });
  });

  let closed: Promise<void> | undefined;
  async function shutdown(): Promise<void> {
    closing = true;
    // Give clients a moment to answer the close frame, then drop whoever did not.
    await registry.closeAll(2000);
    await invoker.settle();
    await fanout?.close();
    upgrades.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await db.close();
  }

  return {
    url,
    websocketUrl: `ws://${authority}${socketPath}`,
    managementEndpoint,
    region,
    port,
    dynamodb: { endpoint: db.endpoint, tableName, membersTable: db.membersTable },
    connectionIds: () => registry.ids(),
    unreadBytes: (connectionId) => registry.unreadBytes(connectionId),
    close: () => (closed ??= shutdown()),
  };
}
