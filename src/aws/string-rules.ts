// What AWS accepts for the strings the stack sends it (names, descriptions, comments, metric and
// rule names, tag keys and values, alias names), each rule as the service's API reference states
// it. The provider checks few of them (it let a WAF description with an apostrophe through to a
// failing CreateWebACL), so the stack checks its own synthesized JSON against these at synth.

/** One documented constraint on a string: its characters, its length, and anything it must not be. */
export interface AwsStringRule {
  /** The whole value must match (anchored). */
  readonly pattern: RegExp;
  /** What `pattern` allows, in words, for messages. */
  readonly allows: string;
  readonly minLength: number;
  readonly maxLength: number;
  /** A further documented refusal (a reserved prefix, a reserved word): the reason, or undefined. */
  readonly refuse?: (value: string) => string | undefined;
  /** The API reference that states the rule. */
  readonly source: string;
}

/** The reason `value` breaks `rule`, or undefined when AWS accepts it. */
export function ruleProblem(rule: AwsStringRule, value: string): string | undefined {
  if (value.length < rule.minLength || value.length > rule.maxLength) {
    return `must be ${rule.minLength}-${rule.maxLength} characters long (${value.length}) (${rule.source})`;
  }
  if (!rule.pattern.test(value)) return `may only contain ${rule.allows} (${rule.source})`;
  const refused = rule.refuse?.(value);
  return refused === undefined ? undefined : `${refused} (${rule.source})`;
}

/**
 * Lambda CreateFunction FunctionName: "If you specify only the function name, it is limited to 64
 * characters", of `[a-zA-Z0-9-_]` (https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html).
 */
export const LAMBDA_FUNCTION_NAME: AwsStringRule = {
  pattern: /^[a-zA-Z0-9_-]+$/,
  allows: "letters, digits, '-' and '_'",
  minLength: 1,
  maxLength: 64,
  source: "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html",
};

/** Lambda AddPermission StatementId: 1-100 of `([a-zA-Z0-9-_]+)` (https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html). */
export const LAMBDA_STATEMENT_ID: AwsStringRule = {
  pattern: /^[a-zA-Z0-9_-]+$/,
  allows: "letters, digits, '-' and '_'",
  minLength: 1,
  maxLength: 100,
  source: "https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html",
};

/**
 * IAM CreateRole RoleName: 1-64 "upper and lowercase alphanumeric characters with no spaces. You can
 * also include any of the following characters: _+=,.@-" (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html).
 */
export const IAM_ROLE_NAME: AwsStringRule = {
  pattern: /^[\w+=,.@-]+$/,
  allows: "letters, digits and _ + = , . @ -",
  minLength: 1,
  maxLength: 64,
  source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
};

/** IAM PutRolePolicy PolicyName: 1-128 of `[\w+=,.@-]+` (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html). */
export const IAM_INLINE_POLICY_NAME: AwsStringRule = {
  ...IAM_ROLE_NAME,
  maxLength: 128,
  source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html",
};

/**
 * CloudWatch Logs CreateLogGroup logGroupName: 1-512 of a-z, A-Z, 0-9, '_', '-', '/', '.' and '#'
 * (pattern `[\.\-_/#A-Za-z0-9]+`, https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html).
 */
export const LOG_GROUP_NAME: AwsStringRule = {
  pattern: /^[.\-_/#A-Za-z0-9]+$/,
  allows: "letters, digits and . - _ / #",
  minLength: 1,
  maxLength: 512,
  source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
};

/** DynamoDB CreateTable TableName: 3-255 of a-z, A-Z, 0-9, '_', '-' and '.' (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html). */
export const DYNAMODB_TABLE_NAME: AwsStringRule = {
  pattern: /^[a-zA-Z0-9_.-]+$/,
  allows: "letters, digits and _ . -",
  minLength: 3,
  maxLength: 255,
  source: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html",
};

/** SQS CreateQueue QueueName: "up to 80 characters", "alphanumeric characters, hyphens (-), and underscores (_)" (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html). */
export const SQS_QUEUE_NAME: AwsStringRule = {
  pattern: /^[a-zA-Z0-9_-]+$/,
  allows: "letters, digits, '-' and '_'",
  minLength: 1,
  maxLength: 80,
  source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html",
};

/**
 * SNS CreateTopic Name: "only uppercase and lowercase ASCII letters, numbers, underscores, and
 * hyphens, and must be between 1 and 256 characters long" (https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html).
 */
export const SNS_TOPIC_NAME: AwsStringRule = {
  pattern: /^[a-zA-Z0-9_-]+$/,
  allows: "ASCII letters, digits, '_' and '-'",
  minLength: 1,
  maxLength: 256,
  source: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
};

/**
 * KMS CreateAlias AliasName: 1-256 characters, "alphanumeric characters, forward slashes (/),
 * underscores (_), and dashes (-)", beginning with `alias/`; `alias/aws/` is reserved for AWS managed
 * keys (https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html,
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html).
 */
export const KMS_ALIAS_NAME: AwsStringRule = {
  pattern: /^alias\/[a-zA-Z0-9/_-]+$/,
  allows: "alias/ followed by letters, digits, '/', '_' and '-'",
  minLength: 1,
  maxLength: 256,
  refuse: (value) => (value.startsWith("alias/aws/") ? "may not begin with alias/aws/ (reserved for AWS managed keys)" : undefined),
  source: "https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html",
};

/** KMS CreateKey Description: 0-8192 characters (https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html). */
export const KMS_KEY_DESCRIPTION: AwsStringRule = {
  pattern: /^[\s\S]*$/,
  allows: "any characters",
  minLength: 0,
  maxLength: 8192,
  source: "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html",
};

/** CloudWatch PutMetricAlarm AlarmName: 1-255 characters (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html). */
export const ALARM_NAME: AwsStringRule = {
  pattern: /^[^\p{Cc}]+$/u,
  allows: "characters other than control characters",
  minLength: 1,
  maxLength: 255,
  source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
};

/** CloudWatch PutMetricAlarm AlarmDescription: 0-1024 characters (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html). */
export const ALARM_DESCRIPTION: AwsStringRule = { ...ALARM_NAME, pattern: /^[\s\S]*$/, allows: "any characters", minLength: 0, maxLength: 1024 };

/**
 * CloudWatch PutDashboard DashboardName: "The maximum length is 255, and valid characters are A-Z,
 * a-z, 0-9, "-", and "_"" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html).
 */
export const DASHBOARD_NAME: AwsStringRule = {
  pattern: /^[A-Za-z0-9_-]+$/,
  allows: "letters, digits, '-' and '_'",
  minLength: 1,
  maxLength: 255,
  source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html",
};

/** CloudFront DistributionConfig Comment: "The comment cannot be longer than 128 characters" (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DistributionConfig.html). */
export const CLOUDFRONT_COMMENT: AwsStringRule = {
  pattern: /^[\s\S]*$/,
  allows: "any characters",
  minLength: 0,
  maxLength: 128,
  source: "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DistributionConfig.html",
};

/** CloudFront OriginAccessControlConfig Name: at most 64 characters (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_OriginAccessControlConfig.html). */
export const OAC_NAME: AwsStringRule = {
  ...CLOUDFRONT_COMMENT,
  minLength: 1,
  maxLength: 64,
  source: "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_OriginAccessControlConfig.html",
};

/** CloudFront OriginAccessControlConfig Description: at most 256 characters (same page). */
export const OAC_DESCRIPTION: AwsStringRule = { ...OAC_NAME, minLength: 0, maxLength: 256 };

/**
 * API Gateway v2 names (CreateApi, CreateAuthorizer) are 1-128 characters
 * (https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis.html); stage names 1-128 of
 * `[A-Za-z0-9_-]` (https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-stages.html).
 */
export const API_GATEWAY_NAME: AwsStringRule = {
  pattern: /^[^\p{Cc}]+$/u,
  allows: "characters other than control characters",
  minLength: 1,
  maxLength: 128,
  source: "https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis.html",
};
export const API_GATEWAY_STAGE_NAME: AwsStringRule = {
  pattern: /^[A-Za-z0-9_-]+$/,
  allows: "letters, digits, '-' and '_'",
  minLength: 1,
  maxLength: 128,
  source: "https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-stages.html",
};

/** AWS WAF CreateWebACL Name and a Rule's Name: 1-128 of `^[\w\-]+$` (https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html). */
export const WAF_NAME: AwsStringRule = {
  pattern: /^[\w-]+$/,
  allows: "letters, digits, '_' and '-'",
  minLength: 1,
  maxLength: 128,
  source: "https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html",
};

/**
 * AWS WAF CreateWebACL Description: 1-256 characters matching
 * `^[\w+=:#@/\-,\.][\w+=:#@/\-,\.\s]+[\w+=:#@/\-,\.]$`: no apostrophe, no parentheses
 * (https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html).
 */
export const WAF_DESCRIPTION: AwsStringRule = {
  pattern: /^[\w+=:#@/\-,.][\w+=:#@/\-,.\s]+[\w+=:#@/\-,.]$/,
  allows: "letters, digits, spaces and _ + = : # @ / - , . (not at either end: spaces)",
  minLength: 1,
  maxLength: 256,
  source: "https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html",
};

/**
 * AWS WAF VisibilityConfig MetricName: 1-128 of A-Z, a-z, 0-9, '-' and '_' (the pattern
 * `^[\w#:\.\-/]+$` allows a few more; the prose is stricter, so the prose is the rule), and not a
 * name WAF reserves, "for example All and Default_Action"
 * (https://docs.aws.amazon.com/waf/latest/APIReference/API_VisibilityConfig.html).
 */
export const WAF_METRIC_NAME: AwsStringRule = {
  pattern: /^[A-Za-z0-9_-]+$/,
  allows: "letters, digits, '-' and '_'",
  minLength: 1,
  maxLength: 128,
  refuse: (value) => (["All", "Default_Action"].includes(value) ? "is a metric name that AWS WAF reserves" : undefined),
  source: "https://docs.aws.amazon.com/waf/latest/APIReference/API_VisibilityConfig.html",
};

/** Bucket-name prefixes S3 reserves (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html). */
export const S3_RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"] as const;
/** Bucket-name suffixes S3 reserves for access point aliases, Multi-Region Access Points, directory and table buckets (same page). */
export const S3_RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] as const;

/**
 * S3 general purpose bucket names: 3-63 lower-case letters, digits, '.' and '-', beginning and
 * ending with a letter or digit, no "..", not an IP address, none of S3's reserved prefixes and
 * suffixes (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
 */
export const S3_BUCKET_NAME: AwsStringRule = {
  pattern: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
  allows: "lower-case letters, digits, '.' and '-', beginning and ending with a letter or digit",
  minLength: 3,
  maxLength: 63,
  refuse: (value) => {
    const prefix = S3_RESERVED_PREFIXES.find((reserved) => value.startsWith(reserved));
    if (prefix !== undefined) return `may not start with ${prefix} (reserved by S3)`;
    const suffix = S3_RESERVED_SUFFIXES.find((reserved) => value.endsWith(reserved));
    if (suffix !== undefined) return `may not end with ${suffix} (reserved by S3)`;
    if (value.includes("..")) return "may not contain two adjacent periods";
    if (/^\d+\.\d+\.\d+\.\d+$/.test(value)) return "may not be formatted as an IP address";
    return undefined;
  },
  source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
};

/**
 * Terraform's `bucket_prefix` appends a unique suffix of 26 digits
 * (https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/s3_bucket#bucket_prefix:
 * "Must be lowercase and less than or equal to 37 characters in length"): the name S3 receives.
 */
const BUCKET_PREFIX_SUFFIX_LENGTH = 26;

/** The bucket name S3 receives for a Terraform `bucket_prefix` (its digits stand in as zeros). */
export function bucketNameFromPrefix(bucketPrefix: string): string {
  return `${bucketPrefix}${"0".repeat(BUCKET_PREFIX_SUFFIX_LENGTH)}`;
}

/**
 * Tags: keys of 1-128 and values of 0-256 letters, digits, spaces and `_ . : / = + - @`, keys not
 * beginning with `aws:` in any case (https://docs.aws.amazon.com/tag-editor/latest/userguide/best-practices-and-strats.html,
 * https://docs.aws.amazon.com/batch/latest/userguide/tag-restrictions.html).
 */
export const TAG_KEY: AwsStringRule = {
  pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u,
  allows: "letters, digits, spaces and _ . : / = + - @",
  minLength: 1,
  maxLength: 128,
  refuse: (value) => (value.toLowerCase().startsWith("aws:") ? "may not start with aws: in any letter case (reserved by AWS)" : undefined),
  source: "https://docs.aws.amazon.com/batch/latest/userguide/tag-restrictions.html",
};
export const TAG_VALUE: AwsStringRule = { ...TAG_KEY, pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, minLength: 0, maxLength: 256, refuse: undefined };

/**
 * Where each rule applies in the synthesized JSON: resource type -> attribute path (`*` = every
 * element of a list). Values built from references are checked with each reference replaced by
 * REFERENCE_STAND_IN.
 */
export const STRING_RULES_BY_RESOURCE: Readonly<Record<string, Readonly<Record<string, AwsStringRule>>>> = {
  aws_lambda_function: { function_name: LAMBDA_FUNCTION_NAME },
  aws_lambda_permission: { statement_id: LAMBDA_STATEMENT_ID },
  aws_iam_role: { name: IAM_ROLE_NAME },
  aws_iam_role_policy: { name: IAM_INLINE_POLICY_NAME },
  aws_cloudwatch_log_group: { name: LOG_GROUP_NAME },
  aws_dynamodb_table: { name: DYNAMODB_TABLE_NAME },
  aws_sqs_queue: { name: SQS_QUEUE_NAME },
  aws_sns_topic: { name: SNS_TOPIC_NAME },
  aws_kms_alias: { name: KMS_ALIAS_NAME },
  aws_kms_key: { description: KMS_KEY_DESCRIPTION },
  aws_cloudwatch_metric_alarm: { alarm_name: ALARM_NAME, alarm_description: ALARM_DESCRIPTION },
  aws_cloudwatch_dashboard: { dashboard_name: DASHBOARD_NAME },
  aws_cloudfront_distribution: { comment: CLOUDFRONT_COMMENT },
  aws_cloudfront_origin_access_control: { name: OAC_NAME, description: OAC_DESCRIPTION },
  aws_apigatewayv2_api: { name: API_GATEWAY_NAME },
  aws_apigatewayv2_authorizer: { name: API_GATEWAY_NAME },
  aws_apigatewayv2_stage: { name: API_GATEWAY_STAGE_NAME },
  aws_wafv2_web_acl: {
    name: WAF_NAME,
    description: WAF_DESCRIPTION,
    "visibility_config.metric_name": WAF_METRIC_NAME,
    "rule.*.name": WAF_NAME,
    "rule.*.visibility_config.metric_name": WAF_METRIC_NAME,
  },
};

/** What a `${…}` reference counts as: an id of API Gateway's 10 characters, letters and digits. */
export const REFERENCE_STAND_IN = "a1b2c3d4e5";

/** Every value of `path` (dot-separated, `*` = every list element) inside `node`; cdktf writes single blocks as objects. */
function valuesAt(node: unknown, path: readonly string[]): unknown[] {
  if (path.length === 0) return [node];
  if (node === null || typeof node !== "object") return [];
  const [head, ...rest] = path;
  if (Array.isArray(node)) return head === "*" ? node.flatMap((item) => valuesAt(item, rest)) : node.flatMap((item) => valuesAt(item, path));
  if (head === "*") return valuesAt(node, rest);
  return valuesAt((node as Record<string, unknown>)[head], rest);
}

/** One string of the synthesized JSON that AWS would refuse. */
export interface StringProblem {
  /** `<type>.<logical id>.<attribute>`, or `provider.aws[<i>].default_tags.<key>`. */
  readonly field: string;
  readonly value: string;
  readonly problem: string;
}

/**
 * Every string in a synthesized stack (`tf`: the cdk.tf.json object) that breaks its AWS rule:
 * the attributes of STRING_RULES_BY_RESOURCE, the site bucket's name as S3 will receive it, and
 * the providers' default tags.
 */
export function awsStringProblems(tf: Record<string, any>): StringProblem[] {
  const problems: StringProblem[] = [];
  const check = (field: string, rule: AwsStringRule, raw: unknown, asSent: (value: string) => string = (value) => value) => {
    if (typeof raw !== "string") return;
    const value = asSent(raw.replace(/\$\{[^}]*\}/g, REFERENCE_STAND_IN));
    const problem = ruleProblem(rule, value);
    if (problem !== undefined) problems.push({ field, value: raw, problem });
  };
  for (const [type, resources] of Object.entries<Record<string, unknown>>(tf.resource ?? {})) {
    const rules = STRING_RULES_BY_RESOURCE[type] ?? {};
    for (const [id, body] of Object.entries(resources)) {
      for (const [path, rule] of Object.entries(rules)) {
        for (const value of valuesAt(body, path.split("."))) check(`${type}.${id}.${path}`, rule, value);
      }
      if (type === "aws_s3_bucket") {
        const bucket = body as { bucket?: unknown; bucket_prefix?: unknown };
        check(`${type}.${id}.bucket`, S3_BUCKET_NAME, bucket.bucket);
        check(`${type}.${id}.bucket_prefix`, S3_BUCKET_NAME, bucket.bucket_prefix, bucketNameFromPrefix);
      }
    }
  }
  const providers: Array<{ default_tags?: Array<{ tags?: Record<string, unknown> }> }> = tf.provider?.aws ?? [];
  providers.forEach((provider, i) => {
    for (const [key, value] of Object.entries(provider.default_tags?.[0]?.tags ?? {})) {
      check(`provider.aws[${i}].default_tags.${key} (key)`, TAG_KEY, key);
      check(`provider.aws[${i}].default_tags.${key}`, TAG_VALUE, value);
    }
  });
  return problems;
}
