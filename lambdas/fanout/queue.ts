import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { type ClientTuning, clientConfig, type PeerOverrides } from "../base/clients";
import { errorName } from "../base/connections-api";
import { encodeJob, type FanoutJob } from "./job";

/** Tuning of the jobs queue's client for sendmessage's enqueue: a hung SQS answers within seconds, inside API Gateway's 29 s. */
export const QUEUE_TUNING: ClientTuning = { maxAttempts: 3, connectionTimeoutMs: 1000, requestTimeoutMs: 3000 };

/**
 * Tuning of the worker's give-back: one attempt of at most 3 s, the share of the worker's reserve
 * an answer has (WORKER_RESERVE, fanout/worker.ts). A give-back that fails costs a delay, not the
 * job: SQS makes it visible again when its visibility timeout ends.
 */
export const RETURN_TUNING: ClientTuning = { ...QUEUE_TUNING, maxAttempts: 1 };

/** The SQS client, its endpoint from AWS_ENDPOINT_URL_SQS when set (npm run dev's local queue), as the SDK reads it. */
export function createQueueClient(tuning: ClientTuning, peer: PeerOverrides = {}): SQSClient {
  return new SQSClient({ retryMode: "standard", ...clientConfig(tuning), ...peer });
}

/** What became of a broadcast's jobs: the ones enqueued will be posted and reported; the others reach nobody. */
export interface Enqueued {
  /** Jobs on the queue. */
  readonly queued: number;
  /** Jobs not enqueued, counted by why: the call's error name, or `entry:<code>` for an entry SQS refused. */
  readonly failures: Readonly<Record<string, number>>;
}

/** Where sendmessage puts a split broadcast's jobs: SQS on AWS, an in-process queue in `npm run dev`. */
export interface JobQueue {
  /**
   * Enqueues the jobs, as many as it can, and says how many: a broadcast of which only some jobs
   * were queued is still under way, and sending it again would post twice to those segments.
   */
  send(jobs: readonly FanoutJob[]): Promise<Enqueued>;
}

/** SendMessageBatch takes at most 10 entries (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html). */
export const SQS_BATCH_ENTRIES = 10;
/** Rounds of re-sending the entries a batch reported as failed (the call itself is retried by the SDK). */
const FAILED_ENTRY_ROUNDS = 3;

/** {@link JobQueue} on an SQS queue, ten jobs per SendMessageBatch. */
export class SqsJobQueue implements JobQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(jobs: readonly FanoutJob[]): Promise<Enqueued> {
    const failures: Record<string, number> = {};
    const notQueued = (why: string, count: number): void => {
      failures[why] = (failures[why] ?? 0) + count;
    };
    let queued = 0;
    for (let i = 0; i < jobs.length; i += SQS_BATCH_ENTRIES) {
      // A batch can succeed as a call and still fail some entries: send those again.
      let entries = jobs.slice(i, i + SQS_BATCH_ENTRIES).map((job, n) => ({ Id: String(i + n), MessageBody: encodeJob(job) }));
      const batch = entries.length;
      const codes = new Map<string, string>();
      try {
        for (let round = 0; entries.length > 0 && round < FAILED_ENTRY_ROUNDS; round += 1) {
          const result = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
          codes.clear();
          for (const entry of result.Failed ?? []) codes.set(entry.Id ?? "", entry.Code ?? "unknown");
          entries = entries.filter((entry) => codes.has(entry.Id));
        }
      } catch (error) {
        // The SDK's retries are spent: SQS is unreachable for now. Stop rather than spend the
        // sender's 29 s on the batches left; those are not queued either.
        queued += batch - entries.length;
        notQueued(errorName(error), entries.length + jobs.length - (i + batch));
        return { queued, failures };
      }
      queued += batch - entries.length;
      for (const entry of entries) notQueued(`entry:${codes.get(entry.Id)}`, 1);
    }
    return { queued, failures };
  }
}

/** Where the worker gives a job back that it could not finish, so that it comes back after `delaySeconds`. */
export interface JobReturns {
  /** Makes the job received with `receiptHandle` visible again after `delaySeconds` (0: at once). */
  returnAfter(receiptHandle: string, delaySeconds: number): Promise<void>;
}

/**
 * {@link JobReturns} on the jobs queue: ChangeMessageVisibility sets the job's remaining visibility
 * timeout (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html),
 * so a failed job comes back after that, not after the queue's whole visibility timeout.
 */
export class SqsJobReturns implements JobReturns {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async returnAfter(receiptHandle: string, delaySeconds: number): Promise<void> {
    await this.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: delaySeconds }));
  }
}
