import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { encodeJob, type FanoutJob } from "./job";

/** Where sendmessage puts a split broadcast's jobs: SQS on AWS, an in-process queue in `npm run dev`. */
export interface JobQueue {
  /** Enqueues every job, or throws naming how many could not be enqueued. */
  send(jobs: readonly FanoutJob[]): Promise<void>;
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

  async send(jobs: readonly FanoutJob[]): Promise<void> {
    for (let i = 0; i < jobs.length; i += SQS_BATCH_ENTRIES) {
      // A batch can succeed as a call and still fail some entries: send those again.
      let entries = jobs.slice(i, i + SQS_BATCH_ENTRIES).map((job, n) => ({ Id: String(i + n), MessageBody: encodeJob(job) }));
      for (let round = 0; entries.length > 0; round += 1) {
        if (round === FAILED_ENTRY_ROUNDS) throw new Error(`${entries.length} fan-out jobs could not be enqueued`);
        const result = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
        const failed = new Set((result.Failed ?? []).map((entry) => entry.Id));
        entries = entries.filter((entry) => failed.has(entry.Id));
      }
    }
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
