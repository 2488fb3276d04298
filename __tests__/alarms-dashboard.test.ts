import { ConfigError, loadConfig } from "../src/config/config-sources";
import { METRIC, METRICS_NAMESPACE, metricDimensions } from "../lambdas/contract/telemetry";
import { onlyResource, resourcesOf, synthStack, type TerraformJson } from "./support/synth";

interface PolicyStatement {
  Effect: string;
  Principal: { Service?: string; AWS?: string };
  Action: string | string[];
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

/** `${aws_<type>.<name>.<attribute>}` -> name, or undefined when `ref` is not such a reference. */
function referenced(ref: unknown, type: string, attribute: string): string | undefined {
  const match = typeof ref === "string" ? new RegExp(`^\\$\\{${type}\\.(\\S+)\\.${attribute}\\}$`).exec(ref) : null;
  return match?.[1];
}

const entries = (tf: TerraformJson, type: string): Array<[string, any]> => Object.entries(tf.resource?.[type] ?? {});
const statements = (policy: string): PolicyStatement[] => JSON.parse(policy).Statement;
const actions = (s: PolicyStatement) => [s.Action].flat();

describe("Alarms and dashboard", () => {
  const { tf } = synthStack();
  const alarms = resourcesOf(tf, "aws_cloudwatch_metric_alarm");
  const topics = entries(tf, "aws_sns_topic");

  test("every function, the fan-out worker included, has an errors alarm and a throttles alarm at one occurrence", () => {
    const functions = entries(tf, "aws_lambda_function");
    expect(functions).toHaveLength(8);
    for (const [name] of functions) {
      const watching = alarms.filter((a) => referenced(a.dimensions?.FunctionName, "aws_lambda_function", "function_name") === name);
      expect(watching.map((a) => [a.namespace, a.metric_name, a.statistic, a.comparison_operator, a.threshold]).sort()).toEqual([
        ["AWS/Lambda", "Errors", "Sum", "GreaterThanOrEqualToThreshold", 1],
        ["AWS/Lambda", "Throttles", "Sum", "GreaterThanOrEqualToThreshold", 1],
      ]);
    }
  });

  test("each alarm notifies a topic of its own region when it fires and when it clears, and says what to check first", () => {
    expect(alarms).toHaveLength(22);
    const topicProvider = new Map(topics.map(([name, topic]) => [name, topic.provider]));
    for (const alarm of alarms) {
      expect(alarm.alarm_actions).toHaveLength(1);
      expect(alarm.ok_actions).toEqual(alarm.alarm_actions);
      const topic = referenced(alarm.alarm_actions[0], "aws_sns_topic", "arn");
      expect(topicProvider.has(topic as string)).toBe(true);
      expect(topicProvider.get(topic as string)).toBe(alarm.provider ?? "aws");
      expect(alarm.alarm_description).toMatch(/\. First check .{20,}/);
      expect(alarm.alarm_description.length).toBeLessThanOrEqual(1024); // CloudWatch's limit on AlarmDescription
      expect(alarm.treat_missing_data).toBe("notBreaching");
    }
  });

  test("broadcasts with failures raise an alarm on the handlers' own metric and dimensions", () => {
    const alarm = alarms.find((a) => a.metric_name === METRIC.broadcastsWithFailures.name);
    expect(alarm).toMatchObject({ namespace: METRICS_NAMESPACE, dimensions: metricDimensions("wscf"), statistic: "Sum", threshold: 3 });
    // The handlers learn the deployment dimension from the stack.
    for (const fn of resourcesOf(tf, "aws_lambda_function")) expect(fn.environment.variables.METRICS_DEPLOYMENT).toBe("wscf");
  });

  test("the API's integration and execution errors raise alarms on the stage's metrics", () => {
    const api = alarms.filter((a) => a.namespace === "AWS/ApiGateway");
    expect(api.map((a) => [a.metric_name, a.threshold]).sort()).toEqual([
      ["ExecutionError", 1],
      ["IntegrationError", 10],
    ]);
    for (const alarm of api) {
      expect(referenced(alarm.dimensions.ApiId, "aws_apigatewayv2_stage", "api_id")).toBeDefined();
      expect(referenced(alarm.dimensions.Stage, "aws_apigatewayv2_stage", "name")).toBeDefined();
    }
  });

  test("the dead-letter queue alarm fires on one message", () => {
    const [dlq] = entries(tf, "aws_sqs_queue").filter(([, q]) => q.redrive_policy === undefined);
    const alarm = alarms.find((a) => referenced(a.dimensions?.QueueName, "aws_sqs_queue", "name") === dlq[0]);
    expect(alarm).toMatchObject({
      namespace: "AWS/SQS",
      metric_name: "ApproximateNumberOfMessagesVisible",
      statistic: "Maximum",
      comparison_operator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
    });
  });

  test("the oldest fan-out job alarm fires after two worker timeouts", () => {
    const [jobs] = entries(tf, "aws_sqs_queue").filter(([, q]) => q.redrive_policy !== undefined);
    const alarm = alarms.find((a) => referenced(a.dimensions?.QueueName, "aws_sqs_queue", "name") === jobs[0]);
    const worker = entries(tf, "aws_lambda_function").find(([name]) => name.startsWith("fanout_"))?.[1];
    expect(alarm).toMatchObject({ metric_name: "ApproximateAgeOfOldestMessage", statistic: "Maximum", threshold: 2 * worker.timeout });
  });

  test("CloudFront's 5xx error rate alarm uses the us-east-1 provider and a topic there", () => {
    const alarm = alarms.find((a) => a.namespace === "AWS/CloudFront");
    expect(alarm).toMatchObject({ metric_name: "5xxErrorRate", statistic: "Average", provider: "aws.us_east_1", dimensions: { Region: "Global" } });
    expect(referenced(alarm.dimensions.DistributionId, "aws_cloudfront_distribution", "id")).toBeDefined();
    const aliased = tf.provider.aws.find((p: { alias?: string }) => p.alias === "us_east_1");
    expect(aliased.region).toBe("us-east-1");
  });

  test("each topic is encrypted with its own rotating customer managed key whose policy lets CloudWatch encrypt", () => {
    expect(topics.map(([, t]) => t.provider ?? "aws").sort()).toEqual(["aws", "aws.us_east_1"]);
    const keys = new Map(entries(tf, "aws_kms_key"));
    const keyPolicies = resourcesOf(tf, "aws_kms_key_policy");
    for (const [, topic] of topics) {
      // Never alias/aws/sns: CloudWatch alarms cannot publish to a topic under the AWS managed key.
      const key = referenced(topic.kms_master_key_id, "aws_kms_key", "arn") as string;
      expect(keys.get(key)).toMatchObject({ enable_key_rotation: true });
      expect(keys.get(key).provider).toBe(topic.provider);
      const [policy] = keyPolicies.filter((p) => referenced(p.key_id, "aws_kms_key", "key_id") === key);
      const cloudWatch = statements(policy.policy).find((s) => s.Principal.Service === "cloudwatch.amazonaws.com");
      expect(cloudWatch).toMatchObject({ Effect: "Allow", Resource: "*" });
      expect(actions(cloudWatch as PolicyStatement).sort()).toEqual(["kms:Decrypt", "kms:GenerateDataKey*"]);
      // The account keeps administering its key (AWS's default statement), with the account read from the key's ARN.
      const account = statements(policy.policy).find((s) => s.Principal.AWS !== undefined);
      expect(account?.Principal.AWS).toMatch(/^arn:\$\{local\.\S+\}:iam::\$\{local\.\S+\}:root$/);
    }
  });

  test("each topic's policy lets CloudWatch alarms of this account and region publish, and nobody else", () => {
    const topicPolicies = resourcesOf(tf, "aws_sns_topic_policy");
    expect(topicPolicies).toHaveLength(2);
    for (const policy of topicPolicies) {
      const [statement, ...others] = statements(policy.policy);
      expect(others).toEqual([]);
      expect(statement).toMatchObject({ Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: policy.arn });
      expect(statement.Condition?.StringEquals["aws:SourceAccount"]).toMatch(/^\$\{local\.\S+_account_\S+\}$/);
      expect(statement.Condition?.ArnLike["aws:SourceArn"]).toMatch(/^arn:\$\{local\.\S+\}:cloudwatch:\$\{local\.\S+_region_\S+\}:\$\{local\.\S+\}:alarm:\*$/);
    }
    // The ARN parts come from the key's ARN, computed by Terraform: no data source asks AWS at plan time.
    expect(Object.keys(tf.data ?? {})).not.toContain("aws_caller_identity");
    expect(Object.values(tf.locals).every((l) => /^\$\{element\(split\(":", aws_kms_key\.\S+\.arn\), [134]\)\}$/.test(l as string))).toBe(true);
  });

  test("the e-mail subscription exists only when alarmEmail is configured, on every topic", () => {
    expect(resourcesOf(tf, "aws_sns_topic_subscription")).toEqual([]);
    const withEmail = synthStack({ alarmEmail: "ops@example.org" }).tf;
    const subscriptions = resourcesOf(withEmail, "aws_sns_topic_subscription");
    expect(subscriptions).toHaveLength(2);
    for (const s of subscriptions) expect(s).toMatchObject({ protocol: "email", endpoint: "ops@example.org" });
    expect(new Set(subscriptions.map((s) => referenced(s.topic_arn, "aws_sns_topic", "arn"))).size).toBe(2);
  });

  test("in us-east-1 one topic serves the API's alarms and CloudFront's", () => {
    const east = synthStack({ region: "us-east-1", alarmEmail: "ops@example.org" }).tf;
    const [topic, ...others] = Object.keys(east.resource.aws_sns_topic);
    expect(others).toEqual([]);
    expect(resourcesOf(east, "aws_sns_topic_subscription")).toHaveLength(1);
    for (const alarm of resourcesOf(east, "aws_cloudwatch_metric_alarm")) {
      expect(referenced(alarm.alarm_actions[0], "aws_sns_topic", "arn")).toBe(topic);
    }
    expect(Object.keys(east.output.alarm_topic_arns.value)).toEqual(["us-east-1"]);
  });

  test("alarmEmail must be an e-mail address, named with its variable", () => {
    expect(() => loadConfig({ WSCF_ALARM_EMAIL: "ops at example.org" })).toThrow(ConfigError);
    expect(() => loadConfig({ WSCF_ALARM_EMAIL: "ops at example.org" })).toThrow(/alarmEmail \(from WSCF_ALARM_EMAIL\) must be an e-mail address/);
    expect(loadConfig({ WSCF_ALARM_EMAIL: "ops@example.org" }).alarmEmail).toBe("ops@example.org");
  });

  describe("dashboard", () => {
    const dashboard = onlyResource(tf, "aws_cloudwatch_dashboard");
    const widgets: Array<{ properties: { title: string; region: string; metrics: unknown[][] } }> = JSON.parse(dashboard.dashboard_body).widgets;
    /** `namespace/name` of every metric line of the widgets. */
    const metricsShown = new Set(widgets.flatMap((w) => w.properties.metrics.map((m) => `${m[0]}/${m[1]}`)));

    test("is named after the stack and linked from the dashboard_url output", () => {
      expect(dashboard.dashboard_name).toBe("wscf-test");
      expect(tf.output.dashboard_url.value).toBe(
        "https://ap-northeast-1.console.aws.amazon.com/cloudwatch/home?region=ap-northeast-1#dashboards/dashboard/wscf-test",
      );
      expect(tf.output.dashboard_url.description).toEqual(expect.any(String));
    });

    test("shows the broadcast metrics with the handlers' dimensions", () => {
      const chatLines = widgets.flatMap((w) => w.properties.metrics).filter((m) => m[0] === METRICS_NAMESPACE);
      for (const metric of [METRIC.delivered, METRIC.pruned, METRIC.failed, METRIC.throttled, METRIC.broadcastDuration, METRIC.connects]) {
        expect(metricsShown).toContain(`${METRICS_NAMESPACE}/${metric.name}`);
      }
      for (const m of chatLines) expect(m.slice(2, 6)).toEqual(Object.entries(metricDimensions("wscf")).flat());
    });

    test("shows the API's connection and message counts and every function's errors and duration", () => {
      for (const metric of ["AWS/ApiGateway/ConnectCount", "AWS/ApiGateway/MessageCount", "AWS/Lambda/Errors", "AWS/Lambda/Duration"]) {
        expect(metricsShown).toContain(metric);
      }
      const errors = widgets.find((w) => w.properties.title === "Function errors");
      expect(errors?.properties.metrics).toHaveLength(8);
    });

    test("shows the fan-out queue's depth and its dead letters", () => {
      const depth = widgets.find((w) => w.properties.metrics.some((m) => m[0] === "AWS/SQS"));
      expect(depth?.properties.metrics.map((m) => [m[1], (m[4] as { label: string }).label])).toEqual([
        ["ApproximateNumberOfMessagesVisible", "jobs waiting"],
        ["ApproximateNumberOfMessagesNotVisible", "jobs in flight"],
        ["ApproximateNumberOfMessagesVisible", "dead letters"],
      ]);
    });

    test("reads CloudFront's metrics in us-east-1", () => {
      const cloudFront = widgets.filter((w) => w.properties.metrics.some((m) => m[0] === "AWS/CloudFront"));
      expect(cloudFront.map((w) => w.properties.region)).toEqual(["us-east-1"]);
    });
  });

  test("the alarm_topic_arns output names each region's topic", () => {
    expect(tf.output.alarm_topic_arns.value).toEqual({
      "ap-northeast-1": expect.stringMatching(/^\$\{aws_sns_topic\.alarm-topic_\S+\.arn\}$/),
      "us-east-1": expect.stringMatching(/^\$\{aws_sns_topic\.alarm-topic-us-east-1_\S+\.arn\}$/),
    });
  });
});
