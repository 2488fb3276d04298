import { type Price, PRICES } from "./prices";

// The synthesized Terraform JSON is untyped by nature; read by resource type.
type TerraformJson = Record<string, any>;

/** One kind of resource and what it costs per month while nobody uses the chat. */
export interface CostLine {
  readonly kind: string;
  readonly count: number;
  readonly monthlyUsd: number;
  readonly price?: Price;
}

const resources = (tf: TerraformJson, type: string): any[] => Object.values(tf.resource?.[type] ?? {});

/** Resource types that cost nothing while idle: they bill per request, per GB or per second of use. */
const PAY_PER_USE = [
  "aws_lambda_function",
  "aws_dynamodb_table",
  "aws_sqs_queue",
  "aws_sns_topic",
  "aws_apigatewayv2_api",
  "aws_cloudfront_distribution",
  "aws_cloudwatch_log_group",
  "aws_s3_object",
  "aws_acm_certificate",
  "aws_route53_record",
];

/**
 * The standing monthly cost of a synthesized stack, by resource kind: what the account pays with no
 * connection open and no message sent. Storage of the site, the table and the logs is left out (a
 * few cents at most for the sample); the Route 53 hosted zone is the user's own, not the stack's.
 */
export function standingCost(tf: TerraformJson): CostLine[] {
  const line = (kind: string, count: number, price: Price): CostLine => ({ kind, count, monthlyUsd: count * price.usd, price });
  const webAcls = resources(tf, "aws_wafv2_web_acl");
  const wafRules = webAcls.reduce((sum, acl) => sum + (acl.rule?.length ?? 0), 0);
  const lines = [
    line("CloudWatch alarms", resources(tf, "aws_cloudwatch_metric_alarm").length, PRICES.alarm),
    line("CloudWatch dashboards", resources(tf, "aws_cloudwatch_dashboard").length, PRICES.dashboard),
    line("KMS customer managed keys", resources(tf, "aws_kms_key").length, PRICES.kmsKey),
    line("WAF web ACLs", webAcls.length, PRICES.webAcl),
    line("WAF rules", wafRules, PRICES.wafRule),
  ].filter((l) => l.count > 0);
  const idle = PAY_PER_USE.map((type) => resources(tf, type).length).reduce((a, b) => a + b, 0);
  return [...lines, { kind: "pay-per-use resources", count: idle, monthlyUsd: 0 }];
}

/** What a use of the chat costs, beside the standing cost. */
export interface UsageCost {
  readonly what: string;
  readonly usd: number;
  readonly assumes: string;
}

/**
 * The cost per million chat messages received and per million connection-minutes. A received
 * message is one API Gateway message in, one sendmessage invocation (its memory from the stack, its
 * duration assumed) and one DynamoDB write (the sender's token bucket); each recipient is one more
 * API Gateway message out. With WAF, only the upgrade request of a connection is inspected.
 */
export function usageCost(tf: TerraformJson, assumedSendMillis = 100): UsageCost[] {
  const sendmessage = resources(tf, "aws_lambda_function").find((fn) => String(fn.function_name).endsWith("-sendmessage"));
  const memoryGb = (sendmessage?.memory_size ?? 256) / 1024;
  const lambda = PRICES.lambdaRequests.usd + 1e6 * memoryGb * (assumedSendMillis / 1000) * PRICES.lambdaArmGbSecond.usd;
  const received = PRICES.websocketMessages.usd + lambda + PRICES.dynamoWrites.usd;
  return [
    {
      what: "per million chat messages received",
      usd: received,
      assumes: `API Gateway message in $${PRICES.websocketMessages.usd}, sendmessage at ${memoryGb * 1024} MB for ${assumedSendMillis} ms $${lambda.toFixed(2)}, one DynamoDB write $${PRICES.dynamoWrites.usd}`,
    },
    { what: "per million deliveries (each recipient of each message)", usd: PRICES.websocketMessages.usd, assumes: "one API Gateway message out, up to 32 KB" },
    {
      what: "per million connection-minutes",
      usd: PRICES.websocketConnectionMinutes.usd,
      assumes: "API Gateway connection time; $connect and $disconnect run once per connection",
    },
  ];
}
