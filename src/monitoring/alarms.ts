import type { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmConfig } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import type { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { Construct } from "constructs";
import { METRIC, METRICS_NAMESPACE, metricDimensions } from "../../lambdas/contract/telemetry";
import type { FanoutQueue } from "../fanout/fanout-queue";
import { physicalName } from "../chat/names";
import { apiStageDimensions, cloudFrontDimensions, MONITORING_PERIOD_SECONDS } from "./watched-metrics";
import type { WebSocketApi } from "../chat/websocket-api";

export interface ChatAlarmsProps {
  /** Prefix of every alarm's name (the deployment's name prefix). */
  readonly namePrefix: string;
  /** Topic in the API's region that the regional alarms notify. */
  readonly topic: SnsTopic;
  /** The functions, by purpose (`connect`, `sendmessage`…): each gets an errors and a throttles alarm. */
  readonly functions: Readonly<Record<string, LambdaFunction>>;
  /** The WebSocket API, whose stage's metrics are watched and whose log groups the descriptions name. */
  readonly api: WebSocketApi;
  /** The distribution whose 5xx error rate is watched, with the us-east-1 provider and topic (CloudFront's metrics live there). */
  readonly cloudFront: { readonly distribution: CloudfrontDistribution; readonly provider: AwsProvider; readonly topic: SnsTopic };
  /** The fan-out's jobs queue and dead-letter queue. */
  readonly fanoutQueue: FanoutQueue;
  /**
   * Age in seconds of the oldest job that raises the alarm. A job counts from when it was sent until
   * it is deleted, its worker's run included, so this should exceed the worker's timeout.
   */
  readonly oldestJobAgeSeconds: number;
  /** Value of the chat metrics' `deployment` dimension, as the stack hands it to the handlers. */
  readonly deployment: string;
  /** Broadcasts with at least one failed recipient, in 5 minutes, that raise the alarm. @default 3 */
  readonly failedBroadcastsThreshold?: number;
  /** API Gateway IntegrationError count in 5 minutes that raises the alarm. @default 10 */
  readonly integrationErrorsThreshold?: number;
  /** CloudFront 5xx error rate, in percent of requests over 5 minutes, that raises the alarm. @default 5 */
  readonly cloudFront5xxRatePercent?: number;
}

/** What differs between alarms; the rest (period, actions, missing data, ">= threshold" unless said) is the same for all. */
type AlarmSpec = Pick<CloudwatchMetricAlarmConfig, "namespace" | "metricName" | "dimensions" | "statistic" | "threshold" | "provider"> & {
  /** @default "GreaterThanOrEqualToThreshold" */
  readonly comparisonOperator?: string;
  /** What it means and the first thing to check: it arrives in the notification. */
  readonly alarmDescription: string;
};

/**
 * Every alarm of the stack, each notifying its region's topic when it fires and when it clears:
 * each function's errors and throttles, broadcasts with failures, the API's integration and
 * execution errors, the fan-out's dead letters and oldest job, and CloudFront's 5xx error rate.
 */
export class ChatAlarms extends Construct {
  constructor(scope: Construct, id: string, props: ChatAlarmsProps) {
    super(scope, id);
    const add = (purpose: string, topic: SnsTopic, spec: AlarmSpec) => {
      new CloudwatchMetricAlarm(this, purpose, {
        alarmName: physicalName(props.namePrefix, purpose),
        period: MONITORING_PERIOD_SECONDS,
        evaluationPeriods: 1,
        // Missing data (no traffic) is never an alarm.
        treatMissingData: "notBreaching",
        alarmActions: [topic.arn],
        okActions: [topic.arn],
        ...spec,
        comparisonOperator: spec.comparisonOperator ?? "GreaterThanOrEqualToThreshold",
      });
    };

    for (const [purpose, fn] of Object.entries(props.functions)) {
      const lambda = { namespace: "AWS/Lambda", dimensions: { FunctionName: fn.functionName }, statistic: "Sum" };
      add(`${purpose}-errors`, props.topic, {
        ...lambda,
        metricName: "Errors",
        threshold: 1,
        alarmDescription: `The ${purpose} function failed (threw, timed out or ran out of memory). First check its log group /aws/lambda/${fn.functionName} for ERROR lines around the alarm's time.`,
      });
      add(`${purpose}-throttles`, props.topic, {
        ...lambda,
        metricName: "Throttles",
        threshold: 1,
        alarmDescription: `Lambda refused to run the ${purpose} function: the account's or the function's concurrency is used up. First check the account's ConcurrentExecutions metric and other functions in the region.`,
      });
    }

    add("broadcast-failures", props.topic, {
      namespace: METRICS_NAMESPACE,
      metricName: METRIC.broadcastsWithFailures.name,
      dimensions: metricDimensions(props.deployment),
      statistic: "Sum",
      threshold: props.failedBroadcastsThreshold ?? 3,
      alarmDescription:
        "Broadcasts left recipients without the message. First check the failures field (error names) of the sendmessage log, or of the fanout worker's segment lines for a split broadcast: LimitExceededException = the account's API Gateway throttle, TimeoutError/AbortError = @connections slow, prune:* = DynamoDB.",
    });

    const { stage, accessLogGroup, executionLogGroup } = props.api;
    const api = { namespace: "AWS/ApiGateway", dimensions: apiStageDimensions(stage), statistic: "Sum" };
    add("api-integration-errors", props.topic, {
      ...api,
      metricName: "IntegrationError",
      // A 4XX/5XX answer of the integration counts: a rejected message (400) or a partial broadcast (502) too, so a few are normal.
      threshold: props.integrationErrorsThreshold ?? 10,
      alarmDescription: `Many requests got a 4XX/5XX answer from the functions. First check the access log ${accessLogGroup.name} for the routeKey and status, then that function's log.`,
    });
    add("api-execution-errors", props.topic, {
      ...api,
      metricName: "ExecutionError",
      threshold: 1,
      alarmDescription: `API Gateway could not call a function (permission, missing function, Lambda error). First check the execution log group ${executionLogGroup.name} and the access log's integrationError field.`,
    });

    // SQS metrics: namespace AWS/SQS, dimension QueueName; ApproximateAgeOfOldestMessage is the age of the oldest
    // non-deleted message (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html).
    const { queue, deadLetterQueue } = props.fanoutQueue;
    const sqs = (q: SqsQueue) => ({ namespace: "AWS/SQS", dimensions: { QueueName: q.name }, statistic: "Maximum" });
    add("fanout-dead-letters", props.topic, {
      ...sqs(deadLetterQueue),
      metricName: "ApproximateNumberOfMessagesVisible",
      threshold: 1,
      alarmDescription: `A fan-out job failed every attempt and was moved to the dead-letter queue: part of a broadcast reached nobody. First check the fanout worker's log for "segment" lines with status dead-lettered and their failures or error, then the job itself in ${deadLetterQueue.name} (aws sqs receive-message).`,
    });
    add("fanout-oldest-job", props.topic, {
      ...sqs(queue),
      metricName: "ApproximateAgeOfOldestMessage",
      threshold: props.oldestJobAgeSeconds,
      alarmDescription: `Fan-out jobs wait too long: broadcasts arrive late. First check the worker's Throttles and Errors alarms and its log for retrying segments, then the queue's ApproximateNumberOfMessagesVisible on the dashboard.`,
    });

    // 5xxErrorRate is a percentage of requests (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/programming-cloudwatch-metrics.html).
    add("cloudfront-5xx-rate", props.cloudFront.topic, {
      provider: props.cloudFront.provider,
      namespace: "AWS/CloudFront",
      metricName: "5xxErrorRate",
      dimensions: cloudFrontDimensions(props.cloudFront.distribution),
      statistic: "Average",
      comparisonOperator: "GreaterThanThreshold",
      threshold: props.cloudFront5xxRatePercent ?? 5,
      alarmDescription:
        "CloudFront answered 5xx to viewers: its origins (S3 site or the API's custom domain) fail. First check which path in CloudFront's console (Reports: popular objects / viewers), then the API's IntegrationError and ExecutionError alarms.",
    });
  }
}
