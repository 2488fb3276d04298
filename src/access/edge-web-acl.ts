import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Construct } from "constructs";

export interface EdgeWebAclProps {
  /** Physical name of the web ACL (also its metrics' prefix). */
  readonly name: string;
  /** The us-east-1 provider: CLOUDFRONT-scope web ACLs live there. */
  readonly provider: AwsProvider;
  /** Requests one client IP may make per 5 minutes before it is blocked. */
  readonly rateLimit: number;
  /** The path under which the @connections API is reached (`/<mappingKey>/@connections/`). */
  readonly managementPathPrefix: string;
}

/** One statement of a WAF rule, in the provider's schema (cdktf types `statement` as any: it nests too deep). */
type Statement = Record<string, unknown>;

/** A byte match on `field` (no transformation: the exact bytes the request carries). */
const byteMatch = (field: Statement, positional: "STARTS_WITH" | "EXACTLY", value: string): Statement => ({
  byte_match_statement: {
    field_to_match: field,
    positional_constraint: positional,
    search_string: value,
    text_transformation: [{ priority: 0, type: "NONE" }],
  },
});

/** The methods the backend uses on @connections: GET (status), POST (send), DELETE (close) (R11). */
export const MANAGEMENT_METHODS = ["GET", "POST", "DELETE"] as const;
/**
 * How a SigV4 signature starts: "Authorization: AWS4-HMAC-SHA256 Credential=…"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html).
 */
export const SIGV4_AUTHORIZATION_PREFIX = "AWS4-HMAC-SHA256 ";

/**
 * What the backend itself sends: a request under `pathPrefix` (`/<mappingKey>/@connections`) with
 * a SigV4 Authorization header and one of the @connections methods. Only these skip the rules:
 * anything else on that path (no signature, another method) is counted and checked like any request.
 * WAF cannot verify the signature; API Gateway does, and refuses a forged one.
 */
export function signedManagementRequest(pathPrefix: string): Statement {
  return {
    and_statement: {
      statement: [
        byteMatch({ uri_path: {} }, "STARTS_WITH", pathPrefix),
        // WAF matches header names case-insensitively; the name is given in lower case.
        byteMatch({ single_header: { name: "authorization" } }, "STARTS_WITH", SIGV4_AUTHORIZATION_PREFIX),
        // One regex, not an or_statement: the provider's schema nests no logical statement this deep in a scope-down.
        {
          regex_match_statement: {
            field_to_match: { method: {} },
            regex_string: `^(${MANAGEMENT_METHODS.join("|")})$`,
            text_transformation: [{ priority: 0, type: "NONE" }],
          },
        },
      ],
    },
  };
}

/** The window rate-based rules count in (300 s is AWS's default; 60, 120, 300 and 600 are allowed). */
export const RATE_WINDOW_SECONDS = 300;

/**
 * AWS WAF web ACL for the distribution, CLOUDFRONT scope, so created in us-east-1
 * (https://docs.aws.amazon.com/waf/latest/developerguide/how-aws-waf-works-resources.html):
 * allow by default; block a client IP past `rateLimit` requests per 5 minutes; block IPs on AWS's
 * reputation list (AWSManagedRulesAmazonIpReputationList). WAF sees HTTP requests, so a WebSocket
 * counts once, at its handshake, never per message (that is the per-connection bucket's job).
 * The backend's own @connections calls are exempt from both rules (signedManagementRequest): a few
 * Lambda IPs sending thousands of signed posts per broadcast, which a per-IP limit would cut.
 */
export class EdgeWebAcl extends Construct {
  readonly webAcl: Wafv2WebAcl;

  constructor(scope: Construct, id: string, props: EdgeWebAclProps) {
    super(scope, id);
    const notManagement: Statement = { not_statement: { statement: signedManagementRequest(props.managementPathPrefix) } };
    const visibility = (metric: string) => ({ cloudwatchMetricsEnabled: true, metricName: `${props.name}-${metric}`, sampledRequestsEnabled: true });
    this.webAcl = new Wafv2WebAcl(this, "web-acl", {
      provider: props.provider,
      name: props.name,
      // WAF descriptions allow no apostrophe (WAF_DESCRIPTION in src/aws/string-rules.ts).
      description: "Rate limit per client IP and the AWS IP reputation list, in front of the chat",
      scope: "CLOUDFRONT",
      defaultAction: { allow: {} },
      visibilityConfig: visibility("all"),
      rule: [
        {
          name: "rate-per-ip",
          priority: 0,
          action: { block: {} },
          statement: {
            rate_based_statement: {
              limit: props.rateLimit,
              aggregate_key_type: "IP",
              evaluation_window_sec: RATE_WINDOW_SECONDS,
              scope_down_statement: notManagement,
            },
          },
          visibilityConfig: visibility("rate-per-ip"),
        },
        {
          name: "ip-reputation",
          priority: 1,
          overrideAction: { none: {} },
          statement: {
            managed_rule_group_statement: {
              vendor_name: "AWS",
              name: "AWSManagedRulesAmazonIpReputationList",
              scope_down_statement: notManagement,
            },
          },
          visibilityConfig: visibility("ip-reputation"),
        },
      ],
    });
  }
}
