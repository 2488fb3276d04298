import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping";
import { Construct } from "constructs";
import { ChatFunction } from "../functions/chat-function";
import type { FanoutQueue } from "./fanout-queue";
import type { LambdaBundle } from "../functions/lambda-bundle";

export interface FanoutWorkerProps {
  /** Physical function name. */
  readonly functionName: string;
  /** The worker's zip (lambdas/fanout-worker.ts). */
  readonly bundle: LambdaBundle;
  /** The jobs queue it consumes. */
  readonly queue: FanoutQueue;
  /** Its settings (table, @connections endpoint, rate budget). */
  readonly environment: Record<string, string>;
  /** What it may do besides consuming its queue: scan and prune the table, post to @connections. */
  readonly statements: DataAwsIamPolicyDocumentStatement[];
  readonly logRetentionDays: number;
  readonly timeoutSeconds: number;
  /** Workers at once (the mapping's maximum concurrency, 2-1000). */
  readonly maxConcurrency: number;
}

/**
 * The fan-out worker: a function fed by the jobs queue through an event source mapping that caps
 * its concurrency (so the workers' shares add up to the rate budget) and reports partial batch
 * failures (only failed jobs come back).
 */
export class FanoutWorker extends Construct {
  readonly worker: ChatFunction;
  readonly mapping: LambdaEventSourceMapping;

  constructor(scope: Construct, id: string, props: FanoutWorkerProps) {
    super(scope, id);
    this.worker = new ChatFunction(this, "function", {
      functionName: props.functionName,
      bundle: props.bundle,
      environment: props.environment,
      statements: [...props.statements, props.queue.grantConsume()],
      logRetentionDays: props.logRetentionDays,
      timeoutSeconds: props.timeoutSeconds,
      // More memory is more CPU for Lambda: 50 posts in flight keep one vCPU's share busy.
      memoryMiB: 512,
    });
    this.mapping = new LambdaEventSourceMapping(this, "jobs", {
      eventSourceArn: props.queue.queue.arn,
      functionName: this.worker.function.arn,
      // One segment per invocation: a segment is sized to fill a worker's time budget on its own.
      batchSize: 1,
      scalingConfig: { maximumConcurrency: props.maxConcurrency },
      functionResponseTypes: ["ReportBatchItemFailures"],
    });
  }
}
