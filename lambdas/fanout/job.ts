/**
 * The message on the fan-out queue: one job = one segment of one broadcast (a DynamoDB parallel
 * scan segment of the table, or a range of a channel's members).
 * Shared by sendmessage (writer) and the worker (reader).
 */

/** Bumped when the shape changes, so a worker never misreads a job written by another version. */
export const JOB_VERSION = 1;

/**
 * SQS's message size limit is 256 KiB ("The minimum message size is 1 byte... The maximum is
 * 262,144 bytes", https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html).
 * `data` is at most 32 KiB of UTF-8 (lambdas/README.md), which JSON escaping can grow at most
 * sixfold (\u0000): 192 KiB plus the other fields stays below it.
 */
export const MAX_JOB_BYTES = 262_144;

export interface FanoutJob {
  readonly v: typeof JOB_VERSION;
  /** Names the broadcast in every log line and in the reports to the sender. */
  readonly broadcastId: string;
  /**
   * The sender's connection id: it gets this segment's report, and version 2 recipients see it as
   * the message's sender. Empty for a server-side publish: no connection sent it, nobody gets reports.
   */
  readonly sender: string;
  /**
   * The sender's token subject (auth "jwt" only), for version 2's chat frame. Optional, so a job
   * written before it existed still parses and a worker that predates it ignores it: no new {@link JOB_VERSION}.
   */
  readonly senderSubject?: string;
  /**
   * The channel published to: the segment is a range of its members (lambdas/channels/members.ts);
   * absent for a broadcast to everyone (a scan segment of the table). Optional, as `senderSubject` is.
   */
  readonly channel?: string;
  /** The message, posted unchanged to every recipient. */
  readonly data: string;
  /** DynamoDB Segment, 0 ≤ segment < segments. */
  readonly segment: number;
  /** DynamoDB TotalSegments. */
  readonly segments: number;
  /** When the broadcast started, epoch ms: ids that expired before it are skipped, by every segment alike. */
  readonly startedAt: number;
}

/** The job as an SQS message body. */
export function encodeJob(job: FanoutJob): string {
  const body = JSON.stringify(job);
  const bytes = Buffer.byteLength(body, "utf8");
  if (bytes > MAX_JOB_BYTES) throw new RangeError(`a fan-out job is ${bytes} bytes; SQS takes at most ${MAX_JOB_BYTES}`);
  return body;
}

/** Reads a message body; throws naming what is wrong, so a bad job fails loudly (and lands in the dead-letter queue). */
export function parseJob(body: string): FanoutJob {
  const value = JSON.parse(body) as Partial<Record<keyof FanoutJob, unknown>>;
  const problems: string[] = [];
  if (value.v !== JOB_VERSION) problems.push(`v is ${JSON.stringify(value.v)}, expected ${JOB_VERSION}`);
  for (const key of ["broadcastId", "sender", "data"] as const) {
    if (typeof value[key] !== "string") problems.push(`${key} is not a string`);
  }
  for (const key of ["senderSubject", "channel"] as const) {
    if (value[key] !== undefined && typeof value[key] !== "string") problems.push(`${key} is not a string`);
  }
  const { segment, segments, startedAt } = value;
  if (!Number.isInteger(segments) || (segments as number) < 1) problems.push("segments is not a positive integer");
  if (!Number.isInteger(segment) || (segment as number) < 0 || (segment as number) >= (segments as number)) problems.push("segment is not in [0, segments)");
  if (!Number.isFinite(startedAt)) problems.push("startedAt is not a number");
  if (problems.length > 0) throw new Error(`not a fan-out job: ${problems.join("; ")}`);
  return value as FanoutJob;
}

/** The jobs of one broadcast: one per segment. */
export function jobsFor(broadcast: Omit<FanoutJob, "v" | "segment">): FanoutJob[] {
  return Array.from({ length: broadcast.segments }, (_, segment) => ({ v: JOB_VERSION, ...broadcast, segment }));
}
