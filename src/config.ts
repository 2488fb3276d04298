import { z } from "zod";
import { DEFAULT_FANOUT_CONCURRENCY, MAX_FANOUT_CONCURRENCY } from "../lambdas/settings";
import { AWS_REGIONS } from "./aws-regions";
import { pathPatternMatches } from "./path-pattern";

/**
 * The example domain (RFC 2606) that synthesizes and plans out of the box.
 * It cannot be applied: ACM never validates a certificate for it.
 */
export const EXAMPLE_DOMAIN = {
  domainName: "chat.example.com",
  hostedZoneName: "example.com",
  hostedZoneId: "Z0EXAMPLE0000000000000",
} as const;

/** Retention values that CloudWatch Logs accepts (0, "never expire", is left out on purpose). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const DNS_LABEL = "(?!-)[a-z0-9-]{1,63}(?<!-)";
const FQDN = new RegExp(`^(?=.{1,253}$)(${DNS_LABEL}\\.)+[a-z]{2,63}$`);

const MAPPING_KEY = /^[A-Za-z0-9._-]{1,128}$/;

const fqdn = (what: string) =>
  z
    .string()
    .regex(FQDN, `must be a lower-case fully qualified ${what} such as chat.example.org (no scheme, no trailing dot)`);

const region = z.enum(AWS_REGIONS, {
  error: (issue) => `must be an AWS region code such as ap-northeast-1; got ${JSON.stringify(issue.input)}`,
});

const LocalBackendSchema = z.strictObject({
  type: z.literal("local"),
  /** State file, relative to the project root. @default "terraform.<stack>.tfstate" */
  path: z.string().min(1).optional(),
});

const S3BackendSchema = z.strictObject({
  type: z.literal("s3"),
  bucket: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name (3-63 chars: a-z, 0-9, '.', '-')"),
  /** @default "websocket-cloudfront/terraform.tfstate" */
  key: z.string().min(1).default("websocket-cloudfront/terraform.tfstate"),
  /** @default the stack's region */
  region: region.optional(),
  /** Customer-managed KMS key for the state object. @default - SSE with the S3-managed key */
  kmsKeyId: z.string().min(1).optional(),
});

const CloudBackendSchema = z.strictObject({
  type: z.literal("cloud"),
  organization: z.string().regex(/^[A-Za-z0-9_-]+$/, "must be a Terraform Cloud organization name"),
  workspace: z.string().regex(/^[A-Za-z0-9_-]{1,90}$/, "must be a Terraform Cloud workspace name (A-Z, a-z, 0-9, _ and -)"),
  /** @default "app.terraform.io" */
  hostname: fqdn("host name").default("app.terraform.io"),
});

const BackendSchema = z.discriminatedUnion("type", [LocalBackendSchema, S3BackendSchema, CloudBackendSchema], {
  error: () => `must have "type": "local", "s3" or "cloud"`,
});

const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** The whole configuration, with its defaults. Field docs live in the README table. */
export const ConfigSchema = z
  .strictObject({
    /** The one hostname that serves the site and the WebSocket API (CloudFront alias AND API Gateway custom domain, R3). */
    domainName: fqdn("domain name").default(EXAMPLE_DOMAIN.domainName),
    /** Route 53 public hosted zone that holds `domainName` (validation CNAMEs R7, alias records R8). */
    hostedZoneId: z
      .string()
      .regex(/^Z[A-Z0-9]{1,31}$/, "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ")
      .default(EXAMPLE_DOMAIN.hostedZoneId),
    /** The zone's name; `domainName` must be inside it. */
    hostedZoneName: fqdn("zone name").default(EXAMPLE_DOMAIN.hostedZoneName),
    /** Region of the API, the functions and the table. @default "ap-northeast-1" */
    region: region.default("ap-northeast-1"),
    /** API Gateway stage. @default "Prod" */
    stageName: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,128}$/, "must be 1-128 letters, digits, '_' or '-'")
      .default("Prod"),
    /** API mapping key = the CloudFront path under which the socket lives (R3, R10). @default "websocket" */
    mappingKey: z
      .string()
      .regex(
        MAPPING_KEY,
        "must be one path segment of letters, digits, '.', '_' or '-' (WebSocket APIs take single-level mappings)",
      )
      .default("websocket"),
    /** CloudFront path pattern routed to the API (R1). @default "<mappingKey>*" */
    pathPattern: z
      .string()
      .max(255, "must be at most 255 characters (CloudFront limit)")
      .regex(/^[A-Za-z0-9_.*$/~"'@:+&?-]+$/, "may only contain A-Z a-z 0-9 _ - . * ? $ / ~ \" ' @ : + &")
      .optional(),
    /** Let clients use plain ws:// to CloudFront (viewer policy allow-all, R6); CloudFront still uses HTTPS to API Gateway. @default false */
    allowPlainWs: z.boolean().default(false),
    /** Prefix of every physical name. @default "wscf" */
    namePrefix: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,19}$/, "must be 2-20 chars: a lower-case letter, then a-z, 0-9 or '-'")
      .default("wscf"),
    /** Retention of every log group, in days. @default 30 */
    logRetentionDays: z
      .union(
        LOG_RETENTION_DAYS.map((d) => z.literal(d)),
        { error: () => `must be one of CloudWatch's retention values: ${LOG_RETENTION_DAYS.join(", ")}` },
      )
      .default(30),
    /** Stage default route throttling. @default { burstLimit: 100, rateLimit: 50 } */
    throttling: z
      .strictObject({
        burstLimit: z.number().int().min(1).max(5000, "must be at most 5000 (API Gateway's account default)").default(100),
        rateLimit: z.number().positive().max(10000, "must be at most 10000 requests per second").default(50),
      })
      .default({ burstLimit: 100, rateLimit: 50 }),
    /** How many @connections posts one broadcast keeps in flight. @default 50 */
    fanoutConcurrency: z
      .number()
      .int()
      .min(1)
      .max(MAX_FANOUT_CONCURRENCY, `must be at most ${MAX_FANOUT_CONCURRENCY}`)
      .default(DEFAULT_FANOUT_CONCURRENCY),
    /** Where Terraform keeps state. @default { type: "local" } */
    backend: BackendSchema.default({ type: "local" }),
    /** Tags on every taggable resource (provider default_tags). @default {} */
    tags: z
      .record(
        z.string().min(1).max(128).regex(TAG_CHARS, "may only use letters, digits, spaces and _ . : / = + - @").refine((k) => !k.startsWith("aws:"), "may not start with aws: (reserved by AWS)"),
        z.string().max(256).regex(TAG_CHARS, "may only use letters, digits, spaces and _ . : / = + - @"),
      )
      .default({}),
    /** Folder of static site files uploaded to the bucket. @default "site" */
    siteDir: z.string().min(1).default("site"),
  })
  .transform((config) => ({ ...config, pathPattern: config.pathPattern ?? `${config.mappingKey}*` }));

/** A field's problem, ready to print. */
export interface ConfigIssue {
  readonly path: readonly PropertyKey[];
  readonly input?: unknown;
  readonly message: string;
}

/**
 * Checks between fields, on the fields that passed their own checks (absent = not checked), so
 * that they are reported together with per-field problems and one typo gives one problem.
 */
function crossFieldIssues(fields: Partial<Config>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { domainName, hostedZoneName, hostedZoneId, mappingKey } = fields;
  if (domainName !== undefined && hostedZoneName !== undefined && domainName !== hostedZoneName && !domainName.endsWith(`.${hostedZoneName}`)) {
    issues.push({
      path: ["hostedZoneName"],
      input: hostedZoneName,
      message: `must be the zone that contains domainName ${domainName} (set it to ${domainName.split(".").slice(1).join(".")} or a parent of it)`,
    });
  }
  if (domainName !== undefined && domainName !== EXAMPLE_DOMAIN.domainName && hostedZoneId === EXAMPLE_DOMAIN.hostedZoneId) {
    issues.push({
      path: ["hostedZoneId"],
      input: hostedZoneId,
      message: `is the example zone, but domainName is ${domainName}: set hostedZoneId (WSCF_HOSTED_ZONE_ID) to the id of the Route 53 hosted zone of ${hostedZoneName ?? "the domain"}`,
    });
  }
  if (mappingKey === undefined) return issues;
  const pattern = fields.pathPattern ?? `${mappingKey}*`;
  const unmatched = [`/${mappingKey}`, `/${mappingKey}/@connections/abc%3D`].filter((p) => !pathPatternMatches(pattern, p));
  if (unmatched.length > 0) {
    issues.push({
      path: ["pathPattern"],
      input: pattern,
      message: `cannot match ${unmatched.join(" nor ")}, where mappingKey ${mappingKey} puts the socket (use "${mappingKey}*")`,
    });
  }
  if (pathPatternMatches(pattern, "/index.html")) {
    issues.push({ path: ["pathPattern"], input: pattern, message: `also matches /index.html, so it would hide the site (use "${mappingKey}*")` });
  }
  return issues;
}

/**
 * Parses a user's configuration: per-field checks and cross-field checks, all reported together.
 */
export function parseConfig(input: unknown): { config: Config; issues?: undefined } | { config?: undefined; issues: ConfigIssue[] } {
  const result = ConfigSchema.safeParse(input, { reportInput: true });
  if (result.success) {
    const issues = crossFieldIssues(result.data);
    return issues.length === 0 ? { config: result.data } : { issues };
  }
  // Zod stops before whole-object checks once a field fails; run them on the fields that passed.
  const raw = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
  const shape = ConfigSchema.in.shape;
  const fields: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const parsed = schema.safeParse(raw[key]);
    if (parsed.success) fields[key] = parsed.data;
  }
  return { issues: [...result.error.issues.map(describeIssue), ...crossFieldIssues(fields as Partial<Config>)] };
}

/** Zod's generic wording, turned into what a user acts on. */
function describeIssue(issue: z.core.$ZodIssue): ConfigIssue {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined
        ? { path: issue.path, message: "is required" }
        : { path: issue.path, input: issue.input, message: `must be a ${issue.expected}` };
    case "unrecognized_keys":
      return { path: issue.path, message: `has no field ${issue.keys.map((k) => JSON.stringify(k)).join(", ")} (check the spelling against the README's table)` };
    case "invalid_key":
      return { path: issue.path, input: issue.input, message: `key ${issue.issues[0]?.message ?? "is invalid"}` };
    default:
      return issue;
  }
}

/** Configuration as written by a user (every field optional). */
export type ConfigInput = z.input<typeof ConfigSchema>;
/** Configuration with defaults resolved and cross-checks passed. */
export type Config = z.output<typeof ConfigSchema>;
export type BackendConfig = Config["backend"];
