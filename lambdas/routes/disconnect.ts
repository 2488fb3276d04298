import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from "aws-lambda";
import { errorName } from "../base/connections-api";
import type { ChatDeps } from "./deps";
import { publish } from "../base/metrics";
import { METRIC } from "../contract/telemetry";

/**
 * `$disconnect` (R9): deletes the caller's connection id, and its channel memberships. Idempotent: API Gateway delivers it at
 * most once and not always (hence the TTL), and an id already pruned by a broadcast is fine.
 */
export async function disconnect(
  deps: Pick<ChatDeps, "store" | "members" | "logger" | "metrics">,
  event: APIGatewayProxyWebsocketEventV2,
): Promise<APIGatewayProxyResultV2> {
  const { connectionId, requestId } = event.requestContext;
  try {
    // With channels, the row's channel set names the memberships to remove with it.
    if (deps.members) await deps.members.disconnect(connectionId);
    else await deps.store.remove(connectionId);
  } catch (error) {
    // The socket is closed whatever we answer; the TTL removes the id later.
    deps.logger.error("disconnect failed", { connectionId, requestId, error: errorName(error), detail: String(error) });
    return { statusCode: 500, body: "Could not remove the connection." };
  }
  publish(deps.metrics, [[METRIC.disconnects, 1]]);
  deps.logger.info("disconnected", { connectionId, requestId });
  return { statusCode: 200, body: "Disconnected." };
}
