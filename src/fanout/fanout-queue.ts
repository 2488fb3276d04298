import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { jobRetentionProblem, jobRetentionSeconds, SQS_RETENTION_SECONDS } from "./job-retention";

export interface FanoutQueueProps {
  /** Physical name of the jobs queue; the dead-letter queue is `<queueName>-dlq`. */
  readonly queueName: string;
  /**
   * Visibility timeout, seconds: at least six times the worker's timeout, as AWS advises for SQS
   * event sources (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html).
   */
  readonly visibilityTimeoutSeconds: number;
  /** Receives of a job before SQS moves it to the dead-letter queue. */
  readonly maxReceiveCount: number;
}

/**
 * SQS's longest retention, 14 days, on the dead-letter queue: time to look into a job that kept
 * failing (counted from when the job was first sent: job-retention.ts).
 */
export const DEAD_LETTER_RETENTION_SECONDS = SQS_RETENTION_SECONDS.max;

/**
 * The fan-out's jobs queue and its dead-letter queue (redrive after `maxReceiveCount` receives),
 * both encrypted at rest with SQS-managed keys (SSE-SQS): unlike a KMS key, it needs no kms:*
 * permission on the sender or the worker. The jobs' retention outlasts every receive the redrive
 * allows (jobRetentionSeconds); settings that no retention can hold are refused.
 */
export class FanoutQueue extends Construct {
  readonly queue: SqsQueue;
  readonly deadLetterQueue: SqsQueue;

  constructor(scope: Construct, id: string, props: FanoutQueueProps) {
    super(scope, id);
    const problem = jobRetentionProblem(props.visibilityTimeoutSeconds, props.maxReceiveCount);
    if (problem !== undefined)
      throw new Error(`${this.node.path}: maxReceiveCount ${props.maxReceiveCount} with visibilityTimeoutSeconds ${props.visibilityTimeoutSeconds} ${problem}`);
    this.deadLetterQueue = new SqsQueue(this, "dead-letters", {
      name: `${props.queueName}-dlq`,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
    });
    this.queue = new SqsQueue(this, "jobs", {
      name: props.queueName,
      sqsManagedSseEnabled: true,
      visibilityTimeoutSeconds: props.visibilityTimeoutSeconds,
      messageRetentionSeconds: jobRetentionSeconds(props.visibilityTimeoutSeconds, props.maxReceiveCount),
      redrivePolicy: Fn.jsonencode({ deadLetterTargetArn: this.deadLetterQueue.arn, maxReceiveCount: props.maxReceiveCount }),
    });
  }

  /** sendmessage: enqueue jobs (SendMessageBatch is authorized as sqs:SendMessage). */
  grantSend(): DataAwsIamPolicyDocumentStatement {
    return { effect: "Allow", actions: ["sqs:SendMessage"], resources: [this.queue.arn] };
  }

  /**
   * The worker: what Lambda's event source mapping needs on the queue, "sqs:ReceiveMessage,
   * sqs:DeleteMessage, sqs:GetQueueAttributes" (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html),
   * and sqs:ChangeMessageVisibility, with which the worker gives a failed job back early
   * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html);
   * on this queue only.
   */
  grantConsume(): DataAwsIamPolicyDocumentStatement {
    return {
      effect: "Allow",
      actions: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"],
      resources: [this.queue.arn],
    };
  }
}
