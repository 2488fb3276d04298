/**
 * The prices `npm run cost` assumes: AWS list prices in US East (N. Virginia), USD, without free
 * tiers, as published on each service's pricing page (linked per price). Read on 2026-12-05 through
 * secondary summaries of those pages (the pages themselves were not reachable from this machine):
 * check them before relying on a figure; other regions (ap-northeast-1 is the default here) cost
 * somewhat more.
 */
export const PRICES_AS_OF = "2026-12-05";
export const PRICES_REGION = "us-east-1";

export interface Price {
  readonly usd: number;
  readonly per: string;
  readonly source: string;
}

export const PRICES = {
  /** Standard-resolution metric alarm. */
  alarm: { usd: 0.1, per: "alarm-month", source: "https://aws.amazon.com/cloudwatch/pricing/" },
  /** Custom dashboard (the first 3 of an account are free; counted here as paid). */
  dashboard: { usd: 3, per: "dashboard-month", source: "https://aws.amazon.com/cloudwatch/pricing/" },
  /** Customer managed KMS key; automatic rotation adds $1 a month for each of the first two rotations (from year 2 and year 3). */
  kmsKey: { usd: 1, per: "key-month (first year)", source: "https://aws.amazon.com/kms/pricing/" },
  /** WAF web ACL, plus each rule or rule group in it (AWS's IP reputation list carries no extra fee). */
  webAcl: { usd: 5, per: "web ACL-month", source: "https://aws.amazon.com/waf/pricing/" },
  wafRule: { usd: 1, per: "rule-month", source: "https://aws.amazon.com/waf/pricing/" },
  wafRequests: { usd: 0.6, per: "million requests inspected", source: "https://aws.amazon.com/waf/pricing/" },
  /** API Gateway WebSocket: each message in or out, metered in 32 KB units (first billion a month). */
  websocketMessages: { usd: 1, per: "million messages", source: "https://aws.amazon.com/api-gateway/pricing/" },
  websocketConnectionMinutes: { usd: 0.25, per: "million connection-minutes", source: "https://aws.amazon.com/api-gateway/pricing/" },
  /** Lambda on arm64. */
  lambdaRequests: { usd: 0.2, per: "million requests", source: "https://aws.amazon.com/lambda/pricing/" },
  lambdaArmGbSecond: { usd: 0.0000133334, per: "GB-second (arm64)", source: "https://aws.amazon.com/lambda/pricing/" },
  /** DynamoDB on-demand writes (the sender's token bucket is one UpdateItem per message). */
  dynamoWrites: { usd: 0.625, per: "million write request units", source: "https://aws.amazon.com/dynamodb/pricing/on-demand/" },
  /** DynamoDB on-demand reads: an eventually consistent Query or Scan costs 0.5 unit per 4 KB of items read, before any filter. */
  dynamoReads: { usd: 0.125, per: "million read request units", source: "https://aws.amazon.com/dynamodb/pricing/on-demand/" },
} as const satisfies Record<string, Price>;
