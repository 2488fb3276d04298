import type { Logger } from "@aws-lambda-powertools/logger";
import type { Metrics } from "@aws-lambda-powertools/metrics";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { Clock } from "../base/clock";
import { errorName } from "../base/connections-api";
import { broadcastDeadlines, type DeadlineSignals, deadlineReserve, deadlineSignals } from "../base/deadline";
import type { DeadlineReserve } from "../base/deps";
import { MANAGEMENT_TUNING } from "../base/clients";
import { publishBroadcast } from "../base/metrics";
import { reply as replyTo } from "../base/reply";
import { broadcastFrames } from "../base/frames";
import type { ConnectionStore } from "../base/store";
import { type Audience, everyone } from "../delivery/audience";
import { channelFrames } from "../channels/frames";
import type { ChannelMembers } from "../channels/members";
import { DeliveryRun, type DeliveryTally, THROTTLED_RECIPIENT_MS } from "../delivery/deliver";
import { type FanoutJob, parseJob } from "./job";
import type { JobReturns } from "./queue";
import type { SegmentReport, SegmentStatus } from "./reports";
import type { ConnectionsApi } from "../base/connections-api";

/** What the worker works with; the entry file builds the real ones, tests their own. */
export interface WorkerDeps {
  readonly store: ConnectionStore;
  /** The channel members table, for a channel's jobs. @default - none: a channel's job fails (and is retried, then dead-lettered) */
  readonly members?: ChannelMembers;
  /** @connections client whose every attempt waits for this worker's rate budget (applyRateBudget). */
  readonly connections: ConnectionsApi;
  readonly logger: Logger;
  /** CloudWatch metrics in the embedded metric format: each segment counts as a broadcast (lambdas/contract/telemetry.ts). */
  readonly metrics: Metrics;
  /** Posts in flight at once. */
  readonly fanoutConcurrency: number;
  /** How long (ms) one recipient's 429s are tried again. @default THROTTLED_RECIPIENT_MS (delivery/deliver.ts) */
  readonly throttledRecipientMs?: number;
  /** The queue's maxReceiveCount: an attempt with this receive count is the job's last. */
  readonly maxReceiveCount: number;
  /** The jobs queue, to give a failed job back early (ChangeMessageVisibility). */
  readonly returns: JobReturns;
  /** The one clock: deadlines, durations. */
  readonly clock: Clock;
  /** Time kept back from the invocation's end, as sendmessage keeps it from its own. @default WORKER_RESERVE */
  readonly deadlineReserve?: DeadlineReserve;
}

/**
 * The worker's reserve, in the same model as sendmessage's (base/deadline.ts): one @connections
 * attempt to drain the posts in flight, then two answers (the report to the sender, and giving a
 * job that ran out of time back to SQS), then 500 ms to log and return: 9.5 s with the defaults.
 * The planner keeps more (WORKER_SAFETY_SECONDS, lambdas/contract/fanout-settings.ts), so a
 * segment sized by it never reaches this deadline unless throttling slowed it down.
 */
export const WORKER_RESERVE = deadlineReserve(MANAGEMENT_TUNING, 2);

/** How one attempt at a segment ended. */
export interface SegmentOutcome extends DeliveryTally {
  /** True when the deadline came before the segment's last recipient was tried. */
  readonly cutOff: boolean;
}

/** The first retry's delay; each further one doubles it, up to RETRY_DELAY_MAX_SECONDS. */
const RETRY_DELAY_SECONDS = 10;
const RETRY_DELAY_MAX_SECONDS = 300;

/**
 * When a failed job should come back: soon (10 s, doubling per receive up to 5 min) rather than
 * after the queue's visibility timeout (6 × the worker's timeout, 30 min by default); at once after
 * its last attempt, so that SQS moves it to the dead-letter queue without waiting.
 */
export function retryDelaySeconds(receiveCount: number, lastAttempt: boolean): number {
  return lastAttempt ? 0 : Math.min(RETRY_DELAY_MAX_SECONDS, RETRY_DELAY_SECONDS * 2 ** (receiveCount - 1));
}

/**
 * Reads the job's segment (of the table, or of its channel's members) and posts to every recipient
 * in it, `fanoutConcurrency` at a time, with the delivery core sendmessage uses (delivery/deliver.ts),
 * starting no post once the deadline has come. Throws when the segment cannot be read.
 */
export async function runSegment(deps: WorkerDeps, job: FanoutJob, deadline: DeadlineSignals): Promise<SegmentOutcome> {
  const audience = audienceOf(deps, job);
  const run = new DeliveryRun({
    connections: deps.connections,
    prune: audience.prune,
    deadline,
    clock: deps.clock,
    // The worker's posts pass its rate budget, which a 429 cuts: trying again is worth it here.
    throttledRetry: { forMs: deps.throttledRecipientMs ?? THROTTLED_RECIPIENT_MS },
  });
  const sender = { connectionId: job.sender, ...(job.senderSubject === undefined ? {} : { subject: job.senderSubject }) };
  // Each recipient gets the encoding of the protocol version its row records, as inline (sendmessage) does; a channel's, its one typed frame.
  const frames =
    job.channel === undefined ? broadcastFrames(job.data, sender) : channelFrames(job.channel, job.data, job.sender === "" ? { server: true } : sender);
  const recipients = audience.recipients(new Date(job.startedAt), { segment: job.segment, totalSegments: job.segments });
  const outcome = await run.deliverAll(recipients, (recipient) => frames.forProtocol(recipient.protocol), deps.fanoutConcurrency);
  return { ...run.tally, cutOff: outcome === "stopped" };
}

/** Whom a job's segment belongs to: a channel's members, or everyone connected. */
function audienceOf(deps: WorkerDeps, job: FanoutJob): Audience {
  if (job.channel === undefined) return everyone(deps.store);
  if (!deps.members) throw new Error("MEMBERS_TABLE is not set: this worker cannot read a channel's members");
  return deps.members.audience(job.channel);
}

/**
 * The SQS event handler: one job per record, in order, each with deadlines counted back from the
 * invocation's end (`remainingMs`) by the worker's reserve. A job that fails or runs out of time is given back to come again after
 * retryDelaySeconds and reported in `batchItemFailures`, so that SQS delivers only it again
 * (ReportBatchItemFailures); after maxReceiveCount receives, SQS moves it to the dead-letter queue.
 * The sender hears of every attempt.
 */
export async function handleJobs(deps: WorkerDeps, event: SQSEvent, remainingMs: () => number): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];
  for (const record of event.Records) {
    const instants = broadcastDeadlines({ now: deps.clock.now(), remainingTimeMs: remainingMs() }, deps.deadlineReserve ?? WORKER_RESERVE);
    if (await handleRecord(deps, record, deadlineSignals(instants, deps.clock))) continue;
    await giveBack(deps, record);
    batchItemFailures.push({ itemIdentifier: record.messageId });
  }
  return { batchItemFailures };
}

/** Gives a failed job back early; if that fails, it comes back after the queue's visibility timeout anyway. */
async function giveBack(deps: WorkerDeps, record: SQSRecord): Promise<void> {
  const receiveCount = Number(record.attributes.ApproximateReceiveCount);
  const delaySeconds = retryDelaySeconds(receiveCount, receiveCount >= deps.maxReceiveCount);
  try {
    await deps.returns.returnAfter(record.receiptHandle, delaySeconds);
  } catch (error) {
    deps.logger.warn("job not given back early: it returns after the queue's visibility timeout", {
      messageId: record.messageId,
      receiveCount,
      error: errorName(error),
      detail: String(error),
    });
  }
}

async function handleRecord(deps: WorkerDeps, record: SQSRecord, deadline: DeadlineSignals): Promise<boolean> {
  const receiveCount = Number(record.attributes.ApproximateReceiveCount);
  const lastAttempt = receiveCount >= deps.maxReceiveCount;
  let job: FanoutJob;
  try {
    job = parseJob(record.body);
  } catch (error) {
    deps.logger.error("job unreadable", { messageId: record.messageId, receiveCount, lastAttempt, error: errorName(error), detail: String(error) });
    return false;
  }
  const started = deps.clock.now();
  const context = { broadcastId: job.broadcastId, segment: job.segment, segments: job.segments, receiveCount };
  let outcome: SegmentOutcome | undefined;
  let readError: unknown;
  try {
    outcome = await runSegment(deps, job, deadline);
  } catch (error) {
    readError = error;
  }
  const done = outcome !== undefined && !outcome.cutOff;
  const status: SegmentStatus = done ? "done" : lastAttempt ? "dead-lettered" : "retrying";
  const counts = { delivered: outcome?.delivered ?? 0, pruned: outcome?.pruned ?? 0, failed: outcome?.failed ?? 0 };
  const report: SegmentReport = { type: "broadcast-segment", broadcastId: job.broadcastId, segment: job.segment, segments: job.segments, status, ...counts };
  // A server-side publish has no sender to report to (fanout/job.ts).
  const reply = job.sender === "" ? undefined : await replyTo(deps, job.sender, report, deadline.answerBy);
  const throttled = outcome?.throttled ?? 0;
  const durationMs = deps.clock.now() - started;
  // A segment is a failure when its recipients may not have the message: some failed, its scan failed, or it gave up (dead-lettered).
  publishBroadcast(deps.metrics, { ...counts, throttled, durationMs, incomplete: readError !== undefined || status === "dead-lettered" });
  const line = {
    ...context,
    status,
    ...counts,
    throttled,
    dropped: outcome?.dropped ?? 0,
    failures: outcome?.failures ?? {},
    cutOff: outcome?.cutOff ?? false,
    reply,
    durationMs,
  };
  if (readError !== undefined) deps.logger.error("segment", { ...line, error: errorName(readError), detail: String(readError) });
  else if (status === "dead-lettered") deps.logger.error("segment", line);
  else if (!done || counts.failed > 0) deps.logger.warn("segment", line);
  else deps.logger.info("segment", line);
  return done;
}
