import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { Fn } from "cdktf";
import { Construct } from "constructs";

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
 * API Gateway closes every connection after 2 hours
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html):
 * a job older than that can reach nobody who was connected when it was sent.
 */
const JOB_RETENTION_SECONDS = 2 * 60 * 60;
/**
 * SQS's longest retention, 14 days (MessageRetentionPeriod, 60 to 1,209,600 s:
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html):
 * time to look into a job that kept failing.
 */
const DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 60 * 60;

/**
 * The fan-out's jobs queue and its dead-letter queue (redrive after `maxReceiveCount` receives),
 * both encrypted at rest with SQS-managed keys (SSE-SQS): unlike a KMS key, it needs no kms:*
 * permission on the sender or the worker.
 */
export class FanoutQueue extends Construct {
  readonly queue: SqsQueue;
  readonly deadLetterQueue: SqsQueue;

  constructor(scope: Construct, id: string, props: FanoutQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new SqsQueue(this, "dead-letters", {
      name: `${props.queueName}-dlq`,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
    });
    this.queue = new SqsQueue(this, "jobs", {
      name: props.queueName,
      sqsManagedSseEnabled: true,
      visibilityTimeoutSeconds: props.visibilityTimeoutSeconds,
      messageRetentionSeconds: JOB_RETENTION_SECONDS,
      redrivePolicy: Fn.jsonencode({ deadLetterTargetArn: this.deadLetterQueue.arn, maxReceiveCount: props.maxReceiveCount }),
    });
  }

  /** sendmessage: enqueue jobs (SendMessageBatch is authorized as sqs:SendMessage). */
  grantSend(): DataAwsIamPolicyDocumentStatement {
    return { effect: "Allow", actions: ["sqs:SendMessage"], resources: [this.queue.arn] };
  }

  /**
   * The worker: what Lambda's event source mapping needs on the queue, "sqs:ReceiveMessage,
   * sqs:DeleteMessage, sqs:GetQueueAttributes" (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html), nothing else.
   */
  grantConsume(): DataAwsIamPolicyDocumentStatement {
    return { effect: "Allow", actions: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], resources: [this.queue.arn] };
  }
}
