import type { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import type { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { physicalName } from "../chat/names";
import type { WebSocketApi } from "../chat/websocket-api";
import type { FanoutQueue } from "../fanout/fanout-queue";
import { CLOUDFRONT_CERTIFICATE_REGION } from "../front-door/aws-regions";
import { AlarmTopic } from "./alarm-topic";
import { ChatAlarms } from "./alarms";
import { OperationsDashboard } from "./dashboard";

export interface ChatMonitoringProps {
  /** Prefix of the topics' and alarms' names; also the chat metrics' `deployment` dimension. */
  readonly namePrefix: string;
  /** Physical name of the dashboard. */
  readonly dashboardName: string;
  /** Region of the API, the functions and the chat metrics. */
  readonly region: string;
  /** Provider in the API's region, and in us-east-1 where CloudFront's metrics live (the same object when the API is there). */
  readonly providers: { readonly regional: AwsProvider; readonly usEast1: AwsProvider };
  /** Address subscribed to each alarm topic. @default - no subscription */
  readonly email?: string;
  /** The functions, by purpose: errors and throttles alarms, graphs. */
  readonly functions: Readonly<Record<string, LambdaFunction>>;
  readonly api: WebSocketApi;
  readonly distribution: CloudfrontDistribution;
  readonly fanoutQueue: FanoutQueue;
  /** The fan-out worker's timeout: a job older than two of them waited or was retried. */
  readonly workerTimeoutSeconds: number;
}

/**
 * The alarms and the dashboard. An alarm notifies a topic in its own region, so CloudFront's alarm
 * (its metrics live in us-east-1) gets a topic there unless the API's region is us-east-1.
 */
export class ChatMonitoring extends Construct {
  /** The alarm topics' ARNs, by region (one entry when the API's region is us-east-1). */
  readonly topicArns: Readonly<Record<string, string>>;
  /** The dashboard's console URL. */
  readonly dashboardUrl: string;

  constructor(scope: Construct, id: string, props: ChatMonitoringProps) {
    super(scope, id);
    const { regional, usEast1 } = props.providers;
    const topicName = physicalName(props.namePrefix, "alarms");
    const alarmTopic = new AlarmTopic(this, "alarm-topic", { topicName, provider: regional, email: props.email });
    const cloudFrontAlarmTopic =
      usEast1 === regional ? alarmTopic : new AlarmTopic(this, "alarm-topic-us-east-1", { topicName, provider: usEast1, email: props.email });
    new ChatAlarms(this, "alarms", {
      namePrefix: props.namePrefix,
      topic: alarmTopic.topic,
      functions: props.functions,
      api: props.api,
      cloudFront: { distribution: props.distribution, provider: usEast1, topic: cloudFrontAlarmTopic.topic },
      fanoutQueue: props.fanoutQueue,
      oldestJobAgeSeconds: 2 * props.workerTimeoutSeconds,
      deployment: props.namePrefix,
    });
    const dashboard = new OperationsDashboard(this, "dashboard", {
      dashboardName: props.dashboardName,
      region: props.region,
      functions: props.functions,
      api: props.api,
      distribution: props.distribution,
      fanoutQueue: props.fanoutQueue,
      deployment: props.namePrefix,
    });
    this.dashboardUrl = dashboard.url;
    this.topicArns = { [CLOUDFRONT_CERTIFICATE_REGION]: cloudFrontAlarmTopic.topic.arn, [props.region]: alarmTopic.topic.arn };
  }
}
