import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { newConnectionId, type ConnectionIdentity } from "./api-gateway-event";
import { handshakeProblem } from "./handshake";
import { IntegrationError } from "./invoker";
import type { LocalAuthorizer } from "./local-authorizer";
import { disconnected, startSession, type SessionContext } from "./socket-session";

/** What the handshake needs besides the session's context. */
export interface UpgradeContext extends SessionContext {
  /** `/<mappingKey>`: the one path that takes a WebSocket. */
  readonly socketPath: string;
  readonly maxMessageBytes: number;
  /** True once the gateway is stopping: new handshakes are refused. */
  isClosing(): boolean;
  /** The `$connect` authorizer, which runs before `$connect` when set. @default - anyone connects */
  readonly authorizer?: LocalAuthorizer;
}

const REASONS: Readonly<Record<number, string>> = {
  400: "Bad Request",
  405: "Method Not Allowed",
  401: "Unauthorized",
  403: "Forbidden",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
};

/** Refuses a handshake with `status`; `text` is the body's message (and the status line's reason when {@link REASONS} has none). */
function refuse(socket: Duplex, status: number, text: string, headers: Readonly<Record<string, string>> = {}): void {
  const body = JSON.stringify({ message: text });
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`,
  );
}

/**
 * Answers WebSocket handshakes as API Gateway does: a malformed handshake (version, key, upgrade,
 * subprotocol list) is refused before anything runs; then `$connect` runs (throttled like any
 * route) and its status decides; a subprotocol is selected only when `$connect`'s response names
 * one in `Sec-WebSocket-Protocol`, else none
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-connect-route-subprotocol.html);
 * a client that leaves while `$connect` runs never connects, and its `$disconnect` removes what
 * `$connect` stored.
 */
export class UpgradeHandler {
  private readonly wss: WebSocketServer;
  private readonly chosenProtocol = new WeakMap<IncomingMessage, string>();

  constructor(private readonly context: UpgradeContext) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: context.maxMessageBytes,
      handleProtocols: (_offered, req) => this.chosenProtocol.get(req) ?? false,
    });
  }

  /** One `upgrade` event of the HTTP server. */
  async handle(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const { context } = this;
    const url = new URL(req.url ?? "/", "http://local");
    if (url.pathname !== context.socketPath) return refuse(socket, 403, "Forbidden");
    const problem = handshakeProblem(req);
    if (problem) return refuse(socket, problem.status, problem.reason, problem.headers);
    if (context.isClosing()) return refuse(socket, 503, "Service Unavailable");
    if (!context.throttle.tryTake("$connect")) return refuse(socket, 429, REASONS[429]);
    const connectionId = newConnectionId();
    const authorized = await context.authorizer?.check(connectionId, req.headers);
    if (authorized && !authorized.allowed) return refuse(socket, authorized.status, REASONS[authorized.status]);
    const identity: ConnectionIdentity = {
      ...(authorized ? { authorizer: authorized.context } : {}),
      connectionId,
      connectedAt: Date.now(),
      sourceIp: (req.socket.remoteAddress ?? "127.0.0.1").replace(/^::ffff:/, ""),
      userAgent: req.headers["user-agent"] ?? "",
    };
    // The HTTP server keeps half-open sockets: a client's FIN is an 'end', not a 'close'.
    let clientLeft = false;
    const leave = () => (clientLeft = true);
    socket.once("end", leave).once("close", leave);
    let status: number;
    let protocol: string | undefined;
    try {
      const result = await context.invoker.invoke("$connect", {
        connection: identity,
        eventType: "CONNECT",
        request: { headers: req.headers, query: url.searchParams },
      });
      status = result.status;
      protocol = result.headers["sec-websocket-protocol"];
    } catch (error) {
      if (!(error instanceof IntegrationError)) throw error;
      return refuse(socket, 502, REASONS[502]);
    }
    // API Gateway refuses the handshake with the $connect route's status.
    if (status < 200 || status > 299) return refuse(socket, status, REASONS[status] ?? "Connection refused");
    socket.off("end", leave).off("close", leave);
    if (clientLeft || socket.destroyed || !socket.readable || !socket.writable) {
      context.log(`CONNECT    ${identity.connectionId} left while $connect ran`);
      socket.destroy();
      disconnected(context, identity, 1006, "");
      return;
    }
    if (protocol !== undefined) this.chosenProtocol.set(req, protocol);
    this.wss.handleUpgrade(req, socket, head, (ws) => startSession(context, identity, ws));
  }

  close(): void {
    this.wss.close();
  }
}
