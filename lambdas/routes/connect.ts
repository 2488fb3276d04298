import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from "aws-lambda";
import { SUBJECT_CONTEXT_KEY } from "../contract/authorizer-context";
import { headerValue, selectedProtocol, TOKEN_HEADER } from "../contract/auth-subprotocol";
import { errorName } from "../base/connections-api";
import type { ChatDeps } from "./deps";
import { publish } from "../base/metrics";
import { METRIC } from "../contract/telemetry";

/** The `$connect` event with what API Gateway adds that the published type lacks: the handshake's headers and the authorizer's context. */
type ConnectEvent = APIGatewayProxyWebsocketEventV2 & {
  headers?: Record<string, string | undefined>;
  requestContext: { authorizer?: Record<string, unknown> };
};

/**
 * `$connect` (R9): stores the caller's connection id, the chat protocol version it negotiated
 * and, behind the authorizer, the token's subject. It never posts to the caller: until this
 * handler returns 200 the socket is not open, and @connections answers 410. A client that offered
 * a chat protocol version gets the preferred one back, or a browser would drop the socket; the
 * token offered beside it is never echoed.
 */
export async function connect(
  deps: Pick<ChatDeps, "store" | "logger" | "metrics" | "clock">,
  event: APIGatewayProxyWebsocketEventV2,
): Promise<APIGatewayProxyResultV2> {
  const { headers, requestContext } = event as ConnectEvent;
  const { connectionId, requestId } = requestContext;
  const subject = requestContext.authorizer?.[SUBJECT_CONTEXT_KEY];
  // Only the handshake carries headers: the version is stored for whoever posts to this connection later.
  const protocol = selectedProtocol(headerValue(headers, TOKEN_HEADER));
  try {
    await deps.store.add(connectionId, new Date(deps.clock.now()), { subject: typeof subject === "string" ? subject : undefined, protocol });
  } catch (error) {
    // A 500 makes API Gateway refuse the handshake: better than an open socket nobody can reach.
    deps.logger.error("connect failed", { connectionId, requestId, error: errorName(error), detail: String(error) });
    return { statusCode: 500, body: "Could not register the connection." };
  }
  publish(deps.metrics, [[METRIC.connects, 1]]);
  deps.logger.info("connected", { connectionId, requestId });
  return { statusCode: 200, body: "Connected.", ...(protocol ? { headers: { [TOKEN_HEADER]: protocol } } : {}) };
}
