/**
 * The chat's own CloudWatch metrics: namespace, names, units and dimensions. Shared by the handlers
 * (which emit them in CloudWatch's embedded metric format) and the stack (alarms, dashboard), so a
 * renamed metric cannot leave an alarm watching nothing. No cdktf and no Powertools here: the stack
 * imports this file.
 */

/** Service name in every log line and the `service` dimension of every metric. */
export const SERVICE_NAME = "websocket-chat";

/** CloudWatch namespace of the chat's metrics. */
export const METRICS_NAMESPACE = "WebSocketChat";

/**
 * The environment variable through which the stack names the deployment (its name prefix), the one
 * dimension besides `service`: two deployments in one account and region never share a metric.
 */
export const METRICS_DEPLOYMENT_ENV = "METRICS_DEPLOYMENT";

/** Deployment dimension of handlers run outside the stack (tests, the local gateway). */
export const LOCAL_DEPLOYMENT = "local";

/**
 * Metric names and units. Dimensions stay low on purpose (`service` and `deployment` only): no
 * connection ids, no per-message values, since every distinct dimension set is a billed metric.
 */
export const METRIC = {
  /** `$connect` stored a connection id (Count). */
  connects: { name: "Connects", unit: "Count" },
  /** `$disconnect` removed a connection id (Count). */
  disconnects: { name: "Disconnects", unit: "Count" },
  /** Recipients of one broadcast that accepted the message (Count). */
  delivered: { name: "Delivered", unit: "Count" },
  /** Recipients of one broadcast that answered 410 Gone and were deleted (Count). */
  pruned: { name: "Pruned", unit: "Count" },
  /** Recipients of one broadcast that could not be reached after retries (Count). */
  failed: { name: "Failed", unit: "Count" },
  /** @connections answers 429 during one broadcast, each one retried while attempts last (Count). */
  throttled: { name: "Throttled", unit: "Count" },
  /**
   * 1 for a broadcast that left recipients without the message, else 0: a recipient failed, or some
   * were never tried (the connection list unreadable, the time limit, a dead-lettered segment).
   * What the broadcast alarm counts (Count).
   */
  broadcastsWithFailures: { name: "BroadcastsWithFailures", unit: "Count" },
  /** Wall time of one broadcast, from the request to the summary (Milliseconds). */
  broadcastDuration: { name: "BroadcastDuration", unit: "Milliseconds" },
} as const;

/** The dimension set every chat metric carries: what an alarm or a dashboard must match exactly. */
export function metricDimensions(deployment: string): { readonly service: string; readonly deployment: string } {
  return { service: SERVICE_NAME, deployment };
}
