// How long SQS keeps a fan-out job: long enough for every receive the redrive policy allows, so a
// job that keeps failing reaches the dead-letter queue instead of expiring silently.

/**
 * SQS's MessageRetentionPeriod: "An integer from 60 seconds (1 minute) to 1,209,600 seconds (14 days)"
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html).
 */
import { API_GATEWAY_LIMITS } from "../../lambdas/contract/api-gateway-limits";
export const SQS_RETENTION_SECONDS = { min: 60, max: 1_209_600 } as const;

/**
 * The least a job is kept: API Gateway closes every connection after 2 hours
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html),
 * so a job waiting that long behind others can still reach someone who was connected when it was sent.
 */
const MIN_JOB_RETENTION_SECONDS = API_GATEWAY_LIMITS.maxConnectionMs / 1000;

/**
 * What a dead letter keeps at least in the dead-letter queue. For standard queues "the expiration
 * of a message is always based on its original enqueue timestamp. When a message is moved to a
 * dead-letter queue, the enqueue timestamp is unchanged"
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/setting-up-dead-letter-queue-retention.html):
 * a job dead-lettered after N days stays there 14 - N days. One day leaves time for the alarm and a look.
 */
export const DEAD_LETTER_MIN_STAY_SECONDS = 24 * 60 * 60;

/**
 * The jobs queue's retention for a visibility timeout and a redrive maxReceiveCount. A job that is
 * not given back early (the worker crashed or timed out) returns only after the whole visibility
 * timeout, so it lives up to maxReceiveCount × visibility before SQS moves it; one more visibility
 * covers the time it waits for a free worker. At least MIN_JOB_RETENTION_SECONDS.
 */
export function jobRetentionSeconds(visibilityTimeoutSeconds: number, maxReceiveCount: number): number {
  return Math.max(MIN_JOB_RETENTION_SECONDS, (maxReceiveCount + 1) * visibilityTimeoutSeconds);
}

/** Why no retention can hold these settings (SQS keeps a message 14 days at most), or undefined. */
export function jobRetentionProblem(visibilityTimeoutSeconds: number, maxReceiveCount: number): string | undefined {
  const retention = jobRetentionSeconds(visibilityTimeoutSeconds, maxReceiveCount);
  const limit = SQS_RETENTION_SECONDS.max - DEAD_LETTER_MIN_STAY_SECONDS;
  if (retention <= limit) return undefined;
  const mostReceives = Math.floor(limit / visibilityTimeoutSeconds) - 1;
  return (
    `lets a failing job live (${maxReceiveCount} + 1) × ${visibilityTimeoutSeconds} s = ${retention} s before SQS dead-letters it, ` +
    `but SQS keeps a message ${SQS_RETENTION_SECONDS.max} s (14 days) at most, counted from when it was sent, and a dead letter needs a day in the dead-letter queue: ` +
    (mostReceives >= 1 ? `with this visibility timeout allow at most ${mostReceives} receives, or shorten the timeout` : "shorten the timeout")
  );
}
