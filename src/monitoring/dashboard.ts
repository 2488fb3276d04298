import type { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import type { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { Construct } from "constructs";
import { METRIC, METRICS_NAMESPACE, metricDimensions } from "../../lambdas/contract/telemetry";
import { CLOUDFRONT_CERTIFICATE_REGION } from "../front-door/aws-regions";
import type { FanoutQueue } from "../fanout/fanout-queue";
import type { WebSocketApi } from "../chat/websocket-api";
import { apiStageDimensions, cloudFrontDimensions, MONITORING_PERIOD_SECONDS } from "./watched-metrics";

export interface OperationsDashboardProps {
  /** Physical name of the dashboard (named after the stack). */
  readonly dashboardName: string;
  /** Region of the API, the functions and the chat metrics. */
  readonly region: string;
  /** The functions, by purpose: errors, throttles and duration of each. */
  readonly functions: Readonly<Record<string, LambdaFunction>>;
  /** The WebSocket API: connection and message counts, errors. */
  readonly api: WebSocketApi;
  /** The distribution: its 5xx error rate (metrics in us-east-1). */
  readonly distribution: CloudfrontDistribution;
  /** The fan-out's queues: their depth. */
  readonly fanoutQueue: FanoutQueue;
  /** Value of the chat metrics' `deployment` dimension. */
  readonly deployment: string;
}

/** One metric line of a widget: namespace, name, dimension name/value pairs, then its rendering options. */
type MetricLine = Array<string | Record<string, string>>;

/** A graph; widgets flow left to right, 12 of the grid's 24 columns wide, two per row. */
interface Graph {
  readonly title: string;
  readonly metrics: MetricLine[];
  /** @default "Sum" */
  readonly stat?: string;
  /** @default the dashboard's region */
  readonly region?: string;
}

const WIDTH = 12;
const HEIGHT = 6;

const line = (namespace: string, name: string, dimensions: Record<string, string>, options?: Record<string, string>): MetricLine => [
  namespace,
  name,
  ...Object.entries(dimensions).flat(),
  ...(options ? [options] : []),
];

/**
 * The operator's CloudWatch dashboard: broadcasts (delivered, pruned, failed, throttled, duration),
 * the API's connections, messages and errors, each function's errors and duration, the fan-out
 * queue's depth, and CloudFront's 5xx error rate. The URL is `url`.
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;
  /** The dashboard in the CloudWatch console. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const chat = metricDimensions(props.deployment);
    const apiDimensions = apiStageDimensions(props.api.stage);
    const functions = Object.entries(props.functions);
    const perFunction = (name: string) => functions.map(([purpose, fn]) => line("AWS/Lambda", name, { FunctionName: fn.functionName }, { label: purpose }));

    const graphs: Graph[] = [
      {
        title: "Broadcast recipients",
        metrics: [METRIC.delivered, METRIC.pruned, METRIC.failed, METRIC.throttled].map((m) => line(METRICS_NAMESPACE, m.name, chat)),
      },
      {
        title: "Broadcast duration (ms)",
        metrics: ["p50", "p99", "Maximum"].map((stat) => line(METRICS_NAMESPACE, METRIC.broadcastDuration.name, chat, { stat, label: stat })),
      },
      {
        title: "Connections and messages",
        metrics: [
          line("AWS/ApiGateway", "ConnectCount", apiDimensions),
          line("AWS/ApiGateway", "MessageCount", apiDimensions),
          line(METRICS_NAMESPACE, METRIC.connects.name, chat),
          line(METRICS_NAMESPACE, METRIC.disconnects.name, chat),
        ],
      },
      {
        title: "API errors",
        metrics: ["IntegrationError", "ExecutionError", "ClientError"].map((name) => line("AWS/ApiGateway", name, apiDimensions)),
      },
      { title: "Function errors", metrics: perFunction("Errors") },
      { title: "Function throttles", metrics: perFunction("Throttles") },
      { title: "Function duration p99 (ms)", metrics: perFunction("Duration"), stat: "p99" },
      {
        title: "Fan-out queue depth",
        metrics: [
          line("AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName: props.fanoutQueue.queue.name }, { label: "jobs waiting" }),
          line("AWS/SQS", "ApproximateNumberOfMessagesNotVisible", { QueueName: props.fanoutQueue.queue.name }, { label: "jobs in flight" }),
          line("AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName: props.fanoutQueue.deadLetterQueue.name }, { label: "dead letters" }),
        ],
        stat: "Maximum",
      },
      {
        // CloudFront's metrics live in us-east-1 (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/programming-cloudwatch-metrics.html).
        title: "CloudFront 5xx error rate (%)",
        metrics: [line("AWS/CloudFront", "5xxErrorRate", cloudFrontDimensions(props.distribution))],
        stat: "Average",
        region: CLOUDFRONT_CERTIFICATE_REGION,
      },
    ];

    const widgets = graphs.map((graph, index) => ({
      type: "metric",
      x: (index % 2) * WIDTH,
      y: Math.floor(index / 2) * HEIGHT,
      width: WIDTH,
      height: HEIGHT,
      properties: {
        title: graph.title,
        region: graph.region ?? props.region,
        metrics: graph.metrics,
        stat: graph.stat ?? "Sum",
        period: MONITORING_PERIOD_SECONDS,
        view: "timeSeries",
      },
    }));
    this.dashboard = new CloudwatchDashboard(this, "dashboard", {
      dashboardName: props.dashboardName,
      // Plain JSON: the references inside (API id, function names) are simple ${…} interpolations.
      dashboardBody: JSON.stringify({ widgets }),
    });
    this.url = `https://${props.region}.console.aws.amazon.com/cloudwatch/home?region=${props.region}#dashboards/dashboard/${props.dashboardName}`;
  }
}
