import type { Logger } from "@aws-lambda-powertools/logger";
import type { Metrics } from "@aws-lambda-powertools/metrics";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { forEachBounded } from "../chat/bounded";
import { errorName } from "../chat/connections-api";
import { publishBroadcast } from "../chat/metrics";
import { reply as replyTo } from "../chat/reply";
import { broadcastFrames } from "../chat/frames";
import type { ConnectionStore, Recipient } from "../chat/store";
import { deliver, type SegmentTally, THROTTLED_RECIPIENT_MS } from "./deliver";
import { type FanoutJob, parseJob } from "./job";
import type { JobReturns } from "./queue";
import type { SegmentReport, SegmentStatus } from "./reports";
import type { ConnectionsApi } from "../chat/connections-api";

/** What the worker works with; the entry file builds the real ones, tests their own. */
export interface WorkerDeps {
  readonly store: ConnectionStore;
  /** @connections client whose every attempt waits for this worker's rate budget (applyRateBudget). */
  readonly connections: ConnectionsApi;
  readonly logger: Logger;
  /** CloudWatch metrics in the embedded metric format: each segment counts as a broadcast (lambdas/contract/telemetry.ts). */
  readonly metrics: Metrics;
  /** Posts in flight at once. */
  readonly fanoutConcurrency: number;
  /** How long (ms) one recipient's 429s are tried again. @default THROTTLED_RECIPIENT_MS (fanout/deliver.ts) */
  readonly throttledRecipientMs?: number;
  /** The queue's maxReceiveCount: an attempt with this receive count is the job's last. */
  readonly maxReceiveCount: number;
  /** The jobs queue, to give a failed job back early (ChangeMessageVisibility). */
  readonly returns: JobReturns;
  /** Epoch milliseconds. */
  readonly clock: () => number;
}

/** How one attempt at a segment ended. */
export interface SegmentOutcome extends SegmentTally {
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
 * Scans the job's segment and posts to every recipient in it, `fanoutConcurrency` at a time,
 * pulling no new recipient once `deadline` (epoch ms) has passed. Throws when the segment cannot
 * be read.
 */
export async function runSegment(deps: WorkerDeps, job: FanoutJob, deadline: number): Promise<SegmentOutcome> {
  const tally: SegmentTally = { delivered: 0, pruned: 0, failed: 0, failures: {}, throttled: 0, dropped: 0, refusedFirst: 0 };
  let cutOff = false;
  const recipients = deps.store.recipients(new Date(job.startedAt), { segment: job.segment, totalSegments: job.segments });
  async function* untilDeadline(): AsyncIterable<Recipient> {
    for await (const recipient of recipients) {
      if (deps.clock() >= deadline) {
        cutOff = true;
        return;
      }
      yield recipient;
    }
  }
  const delivery = {
    connections: deps.connections,
    store: deps.store,
    deadline,
    throttledRecipientMs: deps.throttledRecipientMs ?? THROTTLED_RECIPIENT_MS,
    clock: deps.clock,
  };
  // Each recipient gets the encoding of the protocol version its row records, as inline (sendmessage) does.
  const frames = broadcastFrames(job.data, { connectionId: job.sender, ...(job.senderSubject === undefined ? {} : { subject: job.senderSubject }) });
  await forEachBounded(untilDeadline(), deps.fanoutConcurrency, (recipient) =>
    deliver(delivery, tally, recipient.connectionId, frames.forProtocol(recipient.protocol)),
  );
  return { ...tally, cutOff };
}

/**
 * The SQS event handler: one job per record, in order, each with the invocation's remaining time
 * less `reserveMs`. A job that fails or runs out of time is given back to come again after
 * retryDelaySeconds and reported in `batchItemFailures`, so that SQS delivers only it again
 * (ReportBatchItemFailures); after maxReceiveCount receives, SQS moves it to the dead-letter queue.
 * The sender hears of every attempt.
 */
export async function handleJobs(deps: WorkerDeps, event: SQSEvent, remainingMs: () => number, reserveMs: number): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];
  for (const record of event.Records) {
    if (await handleRecord(deps, record, deps.clock() + remainingMs() - reserveMs)) continue;
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

async function handleRecord(deps: WorkerDeps, record: SQSRecord, deadline: number): Promise<boolean> {
  const receiveCount = Number(record.attributes.ApproximateReceiveCount);
  const lastAttempt = receiveCount >= deps.maxReceiveCount;
  let job: FanoutJob;
  try {
    job = parseJob(record.body);
  } catch (error) {
    deps.logger.error("job unreadable", { messageId: record.messageId, receiveCount, lastAttempt, error: errorName(error), detail: String(error) });
    return false;
  }
  const started = deps.clock();
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
  const reply = await replyTo(deps, job.sender, report);
  const throttled = outcome?.throttled ?? 0;
  const durationMs = deps.clock() - started;
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
