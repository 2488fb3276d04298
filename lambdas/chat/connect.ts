import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from "aws-lambda";
import { errorName } from "./connections-api";
import type { ChatDeps } from "./deps";
import { publish } from "./metrics";
import { METRIC } from "../contract/telemetry";

/**
 * `$connect` (R9): stores the caller's connection id. It never posts to the caller: until this
 * handler returns 200 the socket is not open, and @connections answers 410.
 */
export async function connect(deps: Pick<ChatDeps, "store" | "logger" | "metrics" | "now">, event: APIGatewayProxyWebsocketEventV2): Promise<APIGatewayProxyResultV2> {
  const { connectionId, requestId } = event.requestContext;
  try {
    await deps.store.add(connectionId, deps.now());
  } catch (error) {
    // A 500 makes API Gateway refuse the handshake: better than an open socket nobody can reach.
    deps.logger.error("connect failed", { connectionId, requestId, error: errorName(error), detail: String(error) });
    return { statusCode: 500, body: "Could not register the connection." };
  }
  publish(deps.metrics, [[METRIC.connects, 1]]);
  deps.logger.info("connected", { connectionId, requestId });
  return { statusCode: 200, body: "Connected." };
}
