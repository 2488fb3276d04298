import { z } from "zod";
import { DEFAULT_CHANNELS_CLAIM } from "../../lambdas/contract/channels";
import { FANOUT_DEFAULTS, FANOUT_LIMITS, VISIBILITY_TIMEOUT_FACTOR, WORKER_SAFETY_SECONDS } from "../../lambdas/contract/fanout-settings";
import { DEFAULT_FANOUT_CONCURRENCY, MAX_FANOUT_CONCURRENCY } from "../../lambdas/contract/settings";
import { MESSAGE_RATE_DEFAULTS, MESSAGE_RATE_LIMITS } from "../../lambdas/contract/rate-settings";
import { MAX_CERTIFICATE_DOMAIN_LENGTH } from "../front-door/domain-name";
import {
  DOT_SEGMENT_MESSAGE,
  PATH_PATTERN_CHARS,
  PATH_PATTERN_CHARS_MESSAGE,
  PATH_PATTERN_MAX_LENGTH,
  SOCKET_PATH,
  SOCKET_PATH_MESSAGE,
} from "../front-door/front-door-checks";
import { siteBucketNameProblem } from "../front-door/site-bucket-name";
import { jobRetentionProblem } from "../fanout/job-retention";
import { BackendSchema } from "./config-backend";
import { fqdn, httpsUrl, region } from "./config-fields";

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
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/**
 * AWS tag rules (https://docs.aws.amazon.com/batch/latest/userguide/tag-restrictions.html): at most
 * 50 tags per resource, keys of 1-128 and values of 0-256 characters, and "aws:, AWS:, or any upper
 * or lowercase combination of such" is reserved as a prefix.
 */
export const TAG_LIMITS = { perResource: 50, keyLength: 128, valueLength: 256 } as const;
/** Tags the stack puts on every resource itself (they count against TAG_LIMITS.perResource). */
export const STACK_TAGS = { Project: "websocket-cloudfront" } as const;

/** `{ "type": "none" }` (anyone may connect) or a JWT issuer that $connect's authorizer trusts. */
const AuthSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ type: z.literal("none") }),
    z.strictObject({
      type: z.literal("jwt"),
      /** The issuer, exactly as the tokens' `iss` claim spells it (a Cognito user pool: https://cognito-idp.<region>.amazonaws.com/<pool id>). */
      issuer: httpsUrl("https://cognito-idp.ap-northeast-1.amazonaws.com/ap-northeast-1_AbCdEf123"),
      /** The tokens' `aud` claim (a Cognito app client id: send its ID tokens). */
      audience: z.string().regex(/^\S(.*\S)?$/, "must name the tokens' audience (aud), such as a Cognito app client id, without leading or trailing spaces"),
      /** Where the issuer publishes its keys (its discovery document's jwks_uri). @default "<issuer>/.well-known/jwks.json" */
      jwksUri: httpsUrl("https://login.example.org/oauth2/v1/keys").optional(),
      /**
       * The claim holding the channel patterns a token allows, e.g. `["room/*"]` (lambdas/README.md, "Channels");
       * a Cognito custom attribute is `custom:<name>`. A token without it may use no channel. @default "channels"
       */
      channelsClaim: z
        .string()
        .regex(
          /^[A-Za-z0-9_.:/-]{1,128}$/,
          'must name a JWT claim (letters, digits, "_", ".", ":", "/", "-"; at most 128), such as "channels" or "custom:channels"',
        )
        .default(DEFAULT_CHANNELS_CLAIM),
    }),
  ],
  { error: () => `must have "type": "none" or "jwt" (WSCF_AUTH=jwt with WSCF_AUTH_ISSUER and WSCF_AUTH_AUDIENCE)` },
);

/**
 * AWS WAF's rate-based rules count requests per 5-minute window; "The lowest limit setting allowed
 * is 10" (https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html);
 * the API's maximum is 2,000,000,000 (https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html).
 */
export const WAF_RATE_LIMITS = { min: 10, max: 2_000_000_000, default: 1000 } as const;

const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** The whole configuration, with its defaults. Field docs live in the README table. */
export const ConfigSchema = z
  .strictObject({
    /** The one hostname that serves the site and the WebSocket API (CloudFront alias AND API Gateway custom domain, R3). */
    domainName: fqdn("domain name")
      .max(
        MAX_CERTIFICATE_DOMAIN_LENGTH,
        `must be at most ${MAX_CERTIFICATE_DOMAIN_LENGTH} characters: ACM certificates cannot name a longer domain (use a shorter subdomain)`,
      )
      .default(EXAMPLE_DOMAIN.domainName),
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
      .regex(SOCKET_PATH, SOCKET_PATH_MESSAGE)
      .refine((key) => key !== "." && key !== "..", DOT_SEGMENT_MESSAGE)
      .default("websocket"),
    /** CloudFront path pattern routed to the API (R1). @default "<mappingKey>*" */
    pathPattern: z
      .string()
      .max(PATH_PATTERN_MAX_LENGTH, `must be at most ${PATH_PATTERN_MAX_LENGTH} characters (CloudFront limit)`)
      .regex(PATH_PATTERN_CHARS, PATH_PATTERN_CHARS_MESSAGE)
      .optional(),
    /** Let clients use plain ws:// to CloudFront (viewer policy allow-all, R6); CloudFront still uses HTTPS to API Gateway. @default false */
    allowPlainWs: z.boolean().default(false),
    /**
     * CloudFront's origin for the API (R2): "custom-domain" = the custom domain's regional target
     * `d-….execute-api.<region>.amazonaws.com` (its name is CloudFront's own alias, which would resolve
     * back to CloudFront), with the API's default endpoint disabled; "execute-api" = the API's own
     * execute-api hostname, as the source document did.
     * @default "custom-domain"
     */
    apiOrigin: z.enum(["custom-domain", "execute-api"]).default("custom-domain"),
    /**
     * The account-wide API Gateway CloudWatch role that execution logging needs: "create" makes a
     * role and sets it (this stack then owns the region's setting); "existing" uses the one the
     * account already has. @default "create"
     */
    apiGatewayLogsRole: z.enum(["create", "existing"]).default("create"),
    /** Prefix of every physical name. @default "wscf" */
    namePrefix: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,19}$/, "must be 2-20 chars: a lower-case letter, then a-z, 0-9 or '-'")
      .superRefine(
        (prefix, context) => {
          const problem = siteBucketNameProblem(prefix);
          if (problem !== undefined) context.addIssue({ code: "custom", input: prefix, message: problem });
        },
        { when: (payload) => payload.issues.length === 0 },
      )
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
      .prefault({}),
    /** How many @connections posts one broadcast keeps in flight. @default 50 */
    fanoutConcurrency: z.number().int().min(1).max(MAX_FANOUT_CONCURRENCY, `must be at most ${MAX_FANOUT_CONCURRENCY}`).default(DEFAULT_FANOUT_CONCURRENCY),
    /**
     * The split fan-out: broadcasts above `inlineLimit` recipients become one SQS job
     * per DynamoDB parallel scan segment, run by a worker function. See README, "Fan-out to a million".
     * @default { inlineLimit: 2000, ratePerSecond: 2000, workers: 4, workerTimeoutSeconds: 300, maxReceiveCount: 3 }
     */
    fanout: z
      .strictObject({
        /** Broadcasts to at most this many recipients are delivered inline by sendmessage. @default 2000 */
        inlineLimit: z.number().int().min(0).default(FANOUT_DEFAULTS.inlineLimit),
        /**
         * Posts per second shared by all workers. PostToConnection counts against the account's
         * regional API Gateway throttle, 10,000 requests/s by default and shared by every API
         * (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html). @default 2000
         */
        ratePerSecond: z.number().int().min(FANOUT_LIMITS.ratePerSecond.min).max(FANOUT_LIMITS.ratePerSecond.max).default(FANOUT_DEFAULTS.ratePerSecond),
        /**
         * Workers at once: the event source mapping's maximum concurrency, "Minimum value of 2.
         * Maximum value of 1000" (https://docs.aws.amazon.com/lambda/latest/dg/API_ScalingConfig.html). @default 4
         */
        workers: z
          .number()
          .int()
          .min(2, "must be at least 2 (the event source mapping's minimum maximum concurrency)")
          .max(FANOUT_LIMITS.workers.max, `must be at most ${FANOUT_LIMITS.workers.max} (the event source mapping's maximum concurrency)`)
          .default(FANOUT_DEFAULTS.workers),
        /**
         * The worker function's timeout (Lambda allows 900 s at most:
         * https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html). The queue's visibility
         * timeout is six times this, as AWS advises for SQS event sources
         * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html). @default 300
         */
        workerTimeoutSeconds: z
          .number()
          .int()
          .min(
            FANOUT_LIMITS.workerTimeoutSeconds.min,
            `must be at least ${FANOUT_LIMITS.workerTimeoutSeconds.min}: the worker keeps ${WORKER_SAFETY_SECONDS} s in reserve`,
          )
          .max(FANOUT_LIMITS.workerTimeoutSeconds.max, `must be at most ${FANOUT_LIMITS.workerTimeoutSeconds.max} (Lambda's maximum timeout)`)
          .default(FANOUT_DEFAULTS.workerTimeoutSeconds),
        /**
         * Receives of a job before SQS moves it to the dead-letter queue (the redrive policy's
         * maxReceiveCount, 1-1000: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html). @default 3
         */
        maxReceiveCount: z
          .number()
          .int()
          .min(FANOUT_LIMITS.maxReceiveCount.min)
          .max(FANOUT_LIMITS.maxReceiveCount.max, `must be at most ${FANOUT_LIMITS.maxReceiveCount.max} (SQS's redrive limit)`)
          .default(FANOUT_DEFAULTS.maxReceiveCount),
      })
      // Every receive the redrive allows must fit in what SQS keeps a message (src/fanout/job-retention.ts).
      .superRefine(
        ({ workerTimeoutSeconds, maxReceiveCount }, context) => {
          const problem = jobRetentionProblem(VISIBILITY_TIMEOUT_FACTOR * workerTimeoutSeconds, maxReceiveCount);
          if (problem === undefined) return;
          context.addIssue({
            code: "custom",
            path: ["maxReceiveCount"],
            input: maxReceiveCount,
            message: `with fanout.workerTimeoutSeconds ${workerTimeoutSeconds} (visibility timeout ${VISIBILITY_TIMEOUT_FACTOR} × that) ${problem}`,
          });
          // Only once both fields passed their own checks: one typo, one problem.
        },
        { when: (payload) => payload.issues.length === 0 },
      )
      .prefault({}),
    /** Who may connect: a JWT authorizer on $connect, or anyone. @default { type: "none" } */
    auth: AuthSchema.default({ type: "none" }),
    /**
     * Messages one connection may send: a token bucket per connection, and the refusals
     * after which a connection that keeps sending past it is closed. @default { perSecond: 5, burst: 20, maxRefusals: 50 }
     */
    messageRate: z
      .strictObject({
        perSecond: z
          .number()
          .positive()
          .max(MESSAGE_RATE_LIMITS.maxPerSecond, `must be at most ${MESSAGE_RATE_LIMITS.maxPerSecond}`)
          .default(MESSAGE_RATE_DEFAULTS.perSecond),
        burst: z
          .number()
          .int()
          .min(1)
          .max(MESSAGE_RATE_LIMITS.maxBurst, `must be at most ${MESSAGE_RATE_LIMITS.maxBurst}`)
          .default(MESSAGE_RATE_DEFAULTS.burst),
        maxRefusals: z
          .number()
          .int()
          .min(1)
          .max(MESSAGE_RATE_LIMITS.maxRefusals, `must be at most ${MESSAGE_RATE_LIMITS.maxRefusals}`)
          .default(MESSAGE_RATE_DEFAULTS.maxRefusals),
      })
      .prefault({}),
    /**
     * An AWS WAF web ACL on the distribution (it costs money: docs/auth-and-limits.md): a
     * rate-based rule per client IP and AWS's IP reputation list. @default { enabled: false, rateLimit: 1000 }
     */
    waf: z
      .strictObject({
        enabled: z.boolean().default(false),
        /** Requests one client IP may make in 5 minutes before WAF blocks it. @default 1000 */
        rateLimit: z
          .number()
          .int()
          .min(WAF_RATE_LIMITS.min, `must be at least ${WAF_RATE_LIMITS.min} (AWS WAF's lowest rate limit)`)
          .max(WAF_RATE_LIMITS.max, `must be at most ${WAF_RATE_LIMITS.max} (AWS WAF's highest rate limit)`)
          .default(WAF_RATE_LIMITS.default),
      })
      .prefault({}),
    /** Where Terraform keeps state. @default { type: "local" } */
    backend: BackendSchema.default({ type: "local" }),
    /** Tags on every taggable resource (provider default_tags). @default {} */
    tags: z
      .record(
        z
          .string()
          .min(1)
          .max(TAG_LIMITS.keyLength, `may be at most ${TAG_LIMITS.keyLength} characters`)
          .regex(TAG_CHARS, "may only use letters, digits, spaces and _ . : / = + - @")
          .refine((k) => !k.toLowerCase().startsWith("aws:"), "may not start with aws: in any letter case (reserved by AWS)"),
        z
          .string()
          .max(TAG_LIMITS.valueLength, `must be at most ${TAG_LIMITS.valueLength} characters`)
          .regex(TAG_CHARS, "may only use letters, digits, spaces and _ . : / = + - @"),
      )
      .refine(
        (tags) => new Set([...Object.keys(STACK_TAGS), ...Object.keys(tags)]).size <= TAG_LIMITS.perResource,
        `may hold at most ${TAG_LIMITS.perResource - Object.keys(STACK_TAGS).length} tags besides ${Object.keys(STACK_TAGS).join(", ")}, which the stack adds (AWS allows ${TAG_LIMITS.perResource} per resource): remove some`,
      )
      .default({}),
    /**
     * Address that receives the alarms: an e-mail subscription on each alarm topic (AWS first mails
     * a confirmation link per topic). @default - no subscription; alarms still reach the topics
     */
    alarmEmail: z.email("must be an e-mail address such as ops@example.org").optional(),
    /** Folder of static site files uploaded to the bucket. @default "site" */
    siteDir: z.string().min(1).default("site"),
  })
  .transform((config) => ({ ...config, pathPattern: config.pathPattern ?? `${config.mappingKey}*` }));

/** Configuration as written by a user (every field optional). */
export type ConfigInput = z.input<typeof ConfigSchema>;
/** Configuration with defaults resolved and cross-checks passed. */
export type Config = z.output<typeof ConfigSchema>;
export type BackendConfig = Config["backend"];
