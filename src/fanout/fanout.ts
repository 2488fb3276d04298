import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { Construct } from "constructs";
import {
  FANOUT_ENV,
  type FanoutConfig,
  fanoutBudgetEnvironment,
  fanoutWorkerEnvironment,
  VISIBILITY_TIMEOUT_FACTOR,
} from "../../lambdas/contract/fanout-settings";
import { FanoutQueue } from "./fanout-queue";
import { FanoutWorker } from "./fanout-worker";
import type { LambdaBundle } from "../functions/lambda-bundle";

export interface FanoutProps {
  /** The validated `fanout` configuration. */
  readonly config: FanoutConfig;
  /** Physical name of the queue and the worker. */
  readonly name: string;
  /** The chat handlers' environment (table, @connections endpoint, posts in flight): the worker reads the same. */
  readonly chatEnvironment: Record<string, string>;
  /** The worker's table and @connections permissions: Scan, DeleteItem, ManageConnections POST. */
  readonly workerStatements: DataAwsIamPolicyDocumentStatement[];
  readonly logRetentionDays: number;
  /** The worker's zip (lambdas/fanout-worker.ts), bundled with the other handlers. */
  readonly bundle: LambdaBundle;
}

/**
 * The split fan-out: the jobs queue with its dead-letter queue, and the worker that
 * consumes it. sendmessage takes `senderEnvironment` and `grantSend()`.
 */
export class Fanout extends Construct {
  readonly queue: FanoutQueue;
  readonly worker: FanoutWorker;
  /** What sendmessage needs to split: the queue URL and the planner's budget. */
  readonly senderEnvironment: Record<string, string>;

  constructor(scope: Construct, id: string, props: FanoutProps) {
    super(scope, id);
    const { config } = props;
    this.queue = new FanoutQueue(this, "queue", {
      queueName: props.name,
      visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_FACTOR * config.workerTimeoutSeconds,
      maxReceiveCount: config.maxReceiveCount,
    });
    this.senderEnvironment = { ...fanoutBudgetEnvironment(config), [FANOUT_ENV.queueUrl]: this.queue.queue.url };
    this.worker = new FanoutWorker(this, "worker", {
      functionName: props.name,
      bundle: props.bundle,
      queue: this.queue,
      // The queue URL: the worker gives failed jobs back early (ChangeMessageVisibility).
      environment: {
        ...props.chatEnvironment,
        ...fanoutWorkerEnvironment(config),
        [FANOUT_ENV.queueUrl]: this.queue.queue.url,
      },
      statements: props.workerStatements,
      logRetentionDays: props.logRetentionDays,
      timeoutSeconds: config.workerTimeoutSeconds,
      maxConcurrency: config.workers,
    });
  }

  /** sendmessage may enqueue jobs. */
  grantSend(): DataAwsIamPolicyDocumentStatement {
    return this.queue.grantSend();
  }
}
