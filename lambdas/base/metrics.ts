import { Metrics } from "@aws-lambda-powertools/metrics";
import { LOCAL_DEPLOYMENT, METRIC, METRICS_DEPLOYMENT_ENV, METRICS_NAMESPACE, metricDimensions, SERVICE_NAME } from "../contract/telemetry";

/** One metric of the contract (lambdas/contract/telemetry.ts). */
type MetricSpec = (typeof METRIC)[keyof typeof METRIC];

/**
 * Powertools metrics in CloudWatch's embedded metric format: one JSON line on stdout per
 * publication, which CloudWatch turns into metrics from the function's log (no PutMetricData call).
 * The deployment dimension comes from METRICS_DEPLOYMENT, set by the stack.
 */
export function createMetrics(env: NodeJS.ProcessEnv): Metrics {
  const deployment = env[METRICS_DEPLOYMENT_ENV]?.trim() || LOCAL_DEPLOYMENT;
  return new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME, defaultDimensions: metricDimensions(deployment) });
}

/** Emits `values` as one EMF line. */
export function publish(metrics: Metrics, values: ReadonlyArray<readonly [MetricSpec, number]>): void {
  for (const [metric, value] of values) metrics.addMetric(metric.name, metric.unit, value);
  metrics.publishStoredMetrics();
}

/** What one broadcast did, as its metrics count it. */
export interface BroadcastCounts {
  readonly delivered: number;
  readonly pruned: number;
  readonly failed: number;
  readonly throttled: number;
  readonly durationMs: number;
  /**
   * Recipients were left untried, which `failed` does not count: the connection list could not be
   * read, the time limit came first, or a split broadcast's segment was dead-lettered. @default false
   */
  readonly incomplete?: boolean;
}

/** One EMF line per broadcast: delivered, pruned, failed, throttled, whether anything failed or was left untried, and its duration. */
export function publishBroadcast(metrics: Metrics, counts: BroadcastCounts): void {
  publish(metrics, [
    [METRIC.delivered, counts.delivered],
    [METRIC.pruned, counts.pruned],
    [METRIC.failed, counts.failed],
    [METRIC.throttled, counts.throttled],
    [METRIC.broadcastsWithFailures, counts.failed > 0 || counts.incomplete === true ? 1 : 0],
    [METRIC.broadcastDuration, counts.durationMs],
  ]);
}
