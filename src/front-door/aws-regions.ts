/**
 * AWS commercial regions that offer API Gateway WebSocket APIs, CloudFront origins and ACM, and
 * that the pinned provider (hashicorp/aws 5.100.0) accepts: checked by planning a resource in each
 * with region validation on. A closed list so that a typo (`ap-northeast1`, `tokyo`) fails synth
 * instead of apply.
 */
export const AWS_REGIONS = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-7",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ca-central-1",
  "ca-west-1",
  "eu-central-1",
  "eu-central-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-south-1",
  "eu-south-2",
  "eu-north-1",
  "il-central-1",
  "me-south-1",
  "me-central-1",
  "mx-central-1",
  "sa-east-1",
] as const;

export type AwsRegion = (typeof AWS_REGIONS)[number];

/**
 * AWS regions newer than the pinned provider: 5.100.0 answers "invalid AWS Region" for them at
 * plan (checked here), so they need a newer provider first.
 */
export const REGIONS_NEWER_THAN_PROVIDER: Readonly<Record<string, string>> = { "ap-southeast-6": "Asia Pacific (New Zealand)" };

/** CloudFront only accepts ACM certificates from this region. */
export const CLOUDFRONT_CERTIFICATE_REGION: AwsRegion = "us-east-1";
