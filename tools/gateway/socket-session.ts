import type { RawData, WebSocket } from "ws";
import { newConnectionId, type ConnectionIdentity } from "./api-gateway-event";
import type { ConnectionRegistry } from "./connection-registry";
import { selectRoute } from "./handlers";
import type { RouteInvoker } from "./invoker";
import type { ManagedConnection } from "./management-api";
import type { RouteThrottle } from "./route-throttle";

/** What an accepted socket needs from the gateway. */
export interface SessionContext {
  readonly registry: ConnectionRegistry;
  readonly invoker: RouteInvoker;
  readonly throttle: RouteThrottle;
  /** Whether a connection lost without a close frame (1006) still gets its `$disconnect`. */
  readonly disconnectOnAbnormalClose: boolean;
  readonly log: (line: string) => void;
}

/**
 * The frame API Gateway sends a client when it answers a message itself, byte for byte as
 * observed on AWS: `{"message": "Internal server error", "connectionId":"…", "requestId":"…"}`.
 */
export function apiGatewayErrorFrame(message: string, connectionId: string): string {
  return `{"message": ${JSON.stringify(message)}, "connectionId":${JSON.stringify(connectionId)}, "requestId":${JSON.stringify(newConnectionId())}}`;
}

/**
 * API Gateway rejects a binary frame and disconnects the client with 1003
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-develop-binary-media-types.html).
 */
const UNSUPPORTED_DATA = 1003;

/** Invokes `$disconnect` for a connection that ended (API Gateway's best effort: errors are only logged). */
export function disconnected(context: SessionContext, identity: ConnectionIdentity, code: number, reason: string): void {
  if (code === 1006 && !context.disconnectOnAbnormalClose) return;
  context.invoker.invoke("$disconnect", { connection: identity, eventType: "DISCONNECT", disconnect: { statusCode: code, reason } }).catch(() => undefined);
}

/**
 * One client message: binary closes the socket, a throttled route gets API Gateway's 429 frame, else
 * the route's handler runs. The gateway's own answers go through the connection's unread bound like
 * any @connections POST: a client that floods and never reads has them dropped once it has left
 * that much unread, so its answers cannot grow the gateway's memory without bound.
 */
function onMessage(context: SessionContext, connection: ManagedConnection, ws: WebSocket, data: RawData, isBinary: boolean): void {
  const { identity } = connection;
  if (isBinary) {
    ws.close(UNSUPPORTED_DATA, "Binary frames are not supported");
    return;
  }
  const text = (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)).toString("utf8");
  const routeKey = selectRoute(text);
  const answer = (message: string) => void connection.send(apiGatewayErrorFrame(message, identity.connectionId));
  if (!context.throttle.tryTake(routeKey)) {
    // AWS documents "429 Too Many Requests" for a throttled request
    // (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-protect.html);
    // on a socket API Gateway says it in its error frame, and the connection stays open.
    context.log(`MESSAGE    ${routeKey.padEnd(12)} ${identity.connectionId} -> 429 throttled`);
    answer("Too Many Requests");
    return;
  }
  context.invoker
    .invoke(routeKey, { connection: identity, eventType: "MESSAGE", body: { text, isBase64Encoded: false } })
    .catch(() => answer("Internal server error"));
}

/** Takes an accepted socket into the registry and routes its messages until it closes. */
export function startSession(context: SessionContext, identity: ConnectionIdentity, ws: WebSocket): void {
  const connection = context.registry.add(identity, ws);
  context.log(`open       ${identity.connectionId} from ${identity.sourceIp}`);
  ws.on("error", (error) => context.log(`socket ${identity.connectionId}: ${error.message}`));
  ws.on("message", (data: RawData, isBinary: boolean) => {
    connection.touch();
    onMessage(context, connection, ws, data, isBinary);
  });
  ws.on("close", (code: number, reason: Buffer) => {
    context.log(`close      ${identity.connectionId} code ${code}`);
    disconnected(context, identity, code, reason.toString("utf8"));
  });
}
