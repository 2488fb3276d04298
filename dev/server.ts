import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { APIGatewayProxyResultV2 } from "aws-lambda";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import { SETTINGS_ENV } from "../lambdas/settings";
import { buildContext, buildEvent, newConnectionId, type ApiDescription, type ConnectionIdentity, type EventInput } from "./api-gateway-event";
import { loadHandlers, selectRoute, type ChatHandlers } from "./handlers";
import { LOCAL_CREDENTIALS, startLocalDynamoDb } from "./local-dynamodb";
import { handleManagementRequest, type ManagedConnection } from "./management-api";
import { serveStatic } from "./static-site";

/** API Gateway WebSocket quotas the local gateway enforces by default. */
export const API_GATEWAY_LIMITS = {
  /** Message payload size: 128 KB. A bigger message closes the socket with 1009. */
  maxMessageBytes: 128 * 1024,
  /** Idle connection timeout: 10 minutes without a message from the client. */
  idleTimeoutMs: 10 * 60 * 1000,
  /** Connection duration: 2 hours. */
  maxConnectionMs: 2 * 60 * 60 * 1000,
} as const;

export interface DevServerOptions {
  /** TCP port; 0 picks a free one (tests). @default 8080 */
  readonly port?: number;
  /** Interface to listen on. @default "127.0.0.1" (loopback only: a development aid) */
  readonly host?: string;
  /** Folder served at `/`, like the S3 origin. @default "site" (relative to the working directory) */
  readonly siteDir?: string;
  /** API mapping key: the socket lives at `/<mappingKey>`, @connections under it (R3). @default "websocket" */
  readonly mappingKey?: string;
  /** Stage name the events report (R10: never used to build the endpoint). @default "Prod" */
  readonly stage?: string;
  /** Region the handlers' SDK clients use. @default "ap-northeast-1" */
  readonly region?: string;
  /** Table name given to the handlers. @default "connections" */
  readonly tableName?: string;
  /** FANOUT_CONCURRENCY for sendmessage. @default 10 */
  readonly fanoutConcurrency?: number;
  /** @default 10 minutes (API Gateway's idle timeout) */
  readonly idleTimeoutMs?: number;
  /** @default 2 hours (API Gateway's connection duration) */
  readonly maxConnectionMs?: number;
  /** Message size limit in both directions. @default 128 KiB */
  readonly maxMessageBytes?: number;
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
  readonly port: number;
  /** The DynamoDB-compatible server holding the connections table. */
  readonly dynamodb: { readonly endpoint: string; readonly tableName: string };
  /** Ids of the sockets open right now. */
  connectionIds(): string[];
  /** Closes every socket with 1001, waits for their `$disconnect`, stops the server and the database. */
  close(): Promise<void>;
}

/** The port is taken: says so and how to pick another. */
export class PortInUseError extends Error {
  constructor(readonly port: number, host: string) {
    super(
      `port ${port} on ${host} is already in use (another \`npm run dev\`?). Stop that process or pick another port: npm run dev -- --port ${port + 1}  (or PORT=${port + 1} npm run dev)`,
    );
    this.name = "PortInUseError";
  }
}

interface LiveConnection extends ManagedConnection {
  lastActiveAt: number;
  readonly socket: WebSocket;
  idleTimer?: NodeJS.Timeout;
  maxTimer?: NodeJS.Timeout;
}

function statusOf(result: APIGatewayProxyResultV2 | void): number {
  if (result === undefined || typeof result === "string") return 200;
  return (result as { statusCode?: number }).statusCode ?? 200;
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

/**
 * Starts the local stand-in for CloudFront + API Gateway (a development aid, not a production
 * server): the site at `/`, the WebSocket API at `/<mappingKey>` running the real handlers
 * in-process, and the @connections API under `/<mappingKey>/@connections/`, on one port (R1).
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const host = options.host ?? "127.0.0.1";
  const siteDir = options.siteDir ?? "site";
  const mappingKey = options.mappingKey ?? "websocket";
  const stage = options.stage ?? "Prod";
  const region = options.region ?? "ap-northeast-1";
  const tableName = options.tableName ?? "connections";
  const idleTimeoutMs = options.idleTimeoutMs ?? API_GATEWAY_LIMITS.idleTimeoutMs;
  const maxConnectionMs = options.maxConnectionMs ?? API_GATEWAY_LIMITS.maxConnectionMs;
  const maxMessageBytes = options.maxMessageBytes ?? API_GATEWAY_LIMITS.maxMessageBytes;
  const disconnectOnAbnormalClose = options.disconnectOnAbnormalClose ?? true;
  const log = options.log ?? (() => undefined);

  const connections = new Map<string, LiveConnection>();
  const inFlight = new Set<Promise<unknown>>();
  let closing = false;
  let handlers: ChatHandlers | undefined;
  let api: ApiDescription | undefined;

  const socketPath = `/${mappingKey}`;
  const managementPrefixes = [`${socketPath}/@connections/`, `${socketPath}/%40connections/`];
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });

  const server = createServer((req, res) => {
    handleRequest(req, res).catch((error: unknown) => {
      log(`request ${req.method} ${req.url} failed: ${String(error)}`);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => undefined);
    handleUpgrade(req, socket, head).catch((error: unknown) => {
      log(`upgrade failed: ${String(error)}`);
      socket.destroy();
    });
  });

  async function invoke(routeKey: string, input: Omit<EventInput, "api" | "routeKey">): Promise<number> {
    if (handlers === undefined || api === undefined) throw new Error("handlers not loaded");
    const handler = handlers[routeKey as keyof ChatHandlers];
    const started = Date.now();
    const call = handler(buildEvent({ ...input, api, routeKey }), buildContext(`local-${routeKey.replace("$", "")}`, region, 10_000));
    inFlight.add(call);
    try {
      const status = statusOf(await call);
      log(`${input.eventType.padEnd(10)} ${routeKey.padEnd(12)} ${input.connection.connectionId} -> ${status} (${Date.now() - started} ms)`);
      return status;
    } catch (error) {
      log(`${input.eventType.padEnd(10)} ${routeKey.padEnd(12)} ${input.connection.connectionId} -> threw: ${(error as Error)?.stack ?? String(error)}`);
      throw error;
    } finally {
      inFlight.delete(call);
    }
  }

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawPath = (req.url ?? "/").split("?")[0];
    const prefix = managementPrefixes.find((p) => rawPath.startsWith(p));
    if (prefix !== undefined) {
      const encodedId = rawPath.slice(prefix.length);
      let connectionId: string | undefined;
      try {
        connectionId = encodedId.includes("/") || encodedId === "" ? undefined : decodeURIComponent(encodedId);
      } catch {
        connectionId = undefined;
      }
      if (connectionId === undefined) {
        req.resume();
        res.writeHead(403, { "content-type": "application/json", "x-amzn-errortype": "MissingAuthenticationTokenException" });
        res.end(JSON.stringify({ message: "Missing Authentication Token" }));
        return;
      }
      await handleManagementRequest(req, res, connectionId, (id) => connections.get(id), maxMessageBytes);
      return;
    }
    if (rawPath === socketPath || rawPath.startsWith(`${socketPath}/`)) {
      // A plain HTTP request on the socket's path: API Gateway wants an upgrade there.
      req.resume();
      res.writeHead(426, { "content-type": "application/json", upgrade: "websocket" });
      res.end(JSON.stringify({ message: "Upgrade Required" }));
      return;
    }
    await serveStatic(siteDir, req, res);
  }

  function refuseUpgrade(socket: Duplex, status: number, text: string): void {
    const body = JSON.stringify({ message: text });
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }

  async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? "/", "http://local");
    if (url.pathname !== socketPath) {
      refuseUpgrade(socket, 403, "Forbidden");
      return;
    }
    if (closing) {
      refuseUpgrade(socket, 503, "Service Unavailable");
      return;
    }
    const identity: ConnectionIdentity = {
      connectionId: newConnectionId(),
      connectedAt: Date.now(),
      sourceIp: (req.socket.remoteAddress ?? "127.0.0.1").replace(/^::ffff:/, ""),
      userAgent: req.headers["user-agent"] ?? "",
    };
    let status: number;
    try {
      status = await invoke("$connect", { connection: identity, eventType: "CONNECT", request: { headers: req.headers, query: url.searchParams } });
    } catch {
      refuseUpgrade(socket, 502, "Bad Gateway");
      return;
    }
    if (status < 200 || status > 299) {
      // API Gateway refuses the handshake with the $connect route's status.
      refuseUpgrade(socket, status, status === 401 ? "Unauthorized" : status === 403 ? "Forbidden" : "Connection refused");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, identity));
  }

  function armIdleTimer(connection: LiveConnection): void {
    clearTimeout(connection.idleTimer);
    connection.idleTimer = setTimeout(() => connection.socket.close(1001, "Going away"), idleTimeoutMs);
  }

  function accept(ws: WebSocket, identity: ConnectionIdentity): void {
    const connection: LiveConnection = {
      identity,
      lastActiveAt: identity.connectedAt,
      socket: ws,
      isOpen: () => ws.readyState === WebSocket.OPEN,
      send: (data) => new Promise<void>((resolve, reject) => ws.send(data, (error) => (error ? reject(error) : resolve()))),
      disconnect: () => ws.close(1000),
    };
    connections.set(identity.connectionId, connection);
    armIdleTimer(connection);
    connection.maxTimer = setTimeout(() => ws.close(1001, "Going away"), maxConnectionMs);
    log(`open       ${identity.connectionId} from ${identity.sourceIp}`);

    ws.on("error", (error) => log(`socket ${identity.connectionId}: ${error.message}`));
    ws.on("message", (data: RawData, isBinary: boolean) => {
      connection.lastActiveAt = Date.now();
      armIdleTimer(connection);
      const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      const text = isBinary ? buffer.toString("base64") : buffer.toString("utf8");
      const routeKey = isBinary ? "$default" : selectRoute(text);
      invoke(routeKey, { connection: identity, eventType: "MESSAGE", body: { text, isBase64Encoded: isBinary } }).catch(() => {
        // What API Gateway sends the caller when the integration fails.
        if (ws.readyState === WebSocket.OPEN) {
          ws.send(JSON.stringify({ message: "Internal server error", connectionId: identity.connectionId, requestId: newConnectionId() }));
        }
      });
    });
    ws.on("close", (code: number, reason: Buffer) => {
      clearTimeout(connection.idleTimer);
      clearTimeout(connection.maxTimer);
      connections.delete(identity.connectionId);
      log(`close      ${identity.connectionId} code ${code}`);
      if (code === 1006 && !disconnectOnAbnormalClose) return;
      invoke("$disconnect", {
        connection: identity,
        eventType: "DISCONNECT",
        disconnect: { statusCode: code, reason: reason.toString("utf8") },
      }).catch(() => undefined);
    });
  }

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
  api = { apiId: "local", domainName: authority, stage };

  try {
    handlers = await loadHandlers({
      [SETTINGS_ENV.tableName]: tableName,
      [SETTINGS_ENV.managementEndpoint]: managementEndpoint,
      [SETTINGS_ENV.fanoutConcurrency]: String(options.fanoutConcurrency ?? 10),
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
      ...options.handlerEnvironment,
    });
  } catch (error) {
    server.close();
    await db.close();
    throw error;
  }

  let closed: Promise<void> | undefined;
  async function shutdown(): Promise<void> {
    closing = true;
    const sockets = [...connections.values()].map((c) => c.socket);
    for (const socket of sockets) socket.close(1001, "Going away");
    // Give clients a moment to answer the close frame, then drop whoever did not.
    const allClosed = Promise.all(sockets.map((s) => (s.readyState === WebSocket.CLOSED ? undefined : once(s, "close"))));
    const timeout = new Promise((resolve) => setTimeout(resolve, 2000).unref());
    await Promise.race([allClosed, timeout]);
    for (const socket of sockets) socket.terminate();
    await Promise.all(sockets.map((s) => (s.readyState === WebSocket.CLOSED ? undefined : once(s, "close"))));
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await db.close();
  }

  return {
    url,
    websocketUrl: `ws://${authority}${socketPath}`,
    managementEndpoint,
    port,
    dynamodb: { endpoint: db.endpoint, tableName },
    connectionIds: () => [...connections.keys()],
    close: () => (closed ??= shutdown()),
  };
}
