import {
  CloudfrontDistribution,
  type CloudfrontDistributionDefaultCacheBehavior,
  type CloudfrontDistributionOrigin,
} from "@cdktf/provider-aws/lib/cloudfront-distribution";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { SiteBucket } from "./site-bucket";

/**
 * R4: headers forwarded to the WebSocket origin. Host and Authorization make SigV4-signed
 * @connections calls verify (else "Missing Authentication Token" / "signature does not match");
 * X-Amz-Date and X-Amz-Security-Token carry a Lambda role's temporary-credential signature;
 * the Sec-WebSocket-* headers complete the upgrade handshake.
 */
export const WEBSOCKET_FORWARDED_HEADERS = [
  "Host",
  "Authorization",
  "X-Amz-Date",
  "X-Amz-Security-Token",
  "Sec-WebSocket-Key",
  "Sec-WebSocket-Version",
  "Sec-WebSocket-Protocol",
  "Sec-WebSocket-Extensions",
] as const;

/** AWS managed cache policy "Managed-CachingOptimized" (a fixed, documented id; no lookup at plan time). */
export const CACHING_OPTIMIZED_POLICY_ID = "658327ea-f89d-4fab-a63d-7e88639e58f6";
/** AWS managed response headers policy "Managed-SecurityHeadersPolicy": HSTS, nosniff, frame and referrer policies. */
export const SECURITY_HEADERS_POLICY_ID = "67f7725c-6f97-4210-82d7-5512b31e9d03";
/**
 * AWS managed cache policy "Managed-CachingDisabled" and origin request policy
 * "Managed-AllViewerExceptHostHeader", the pair AWS documents for dynamic custom origins
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html,
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-origin-request-policies.html).
 */
export const CACHING_DISABLED_POLICY_ID = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
export const ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID = "b689b0a8-53d0-40ab-baf2-68738e2966ac";

/** An HTTPS origin of the caller's for the default behavior (an application server, another site). */
export interface CustomDefaultOrigin {
  /** Hostname of the origin, without scheme or path (`app.example.org`, an ALB's DNS name). */
  readonly domainName: string;
  /** Path prefix CloudFront adds to every request to the origin. @default - none */
  readonly originPath?: string;
  /** Cache policy of the default behavior. @default CACHING_DISABLED_POLICY_ID: nothing cached */
  readonly cachePolicyId?: string;
  /** Origin request policy of the default behavior. @default ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID */
  readonly originRequestPolicyId?: string;
}

/** What the default behavior (every path outside the socket's pattern) serves. */
export type DefaultBehaviorOrigin =
  | { readonly kind: "site"; readonly site: SiteBucket }
  | { readonly kind: "custom"; readonly origin: CustomDefaultOrigin }
  /** The API origin too: API Gateway answers 403 Forbidden for any path outside its mapping. */
  | { readonly kind: "api" };

export interface DistributionProps {
  /** The CloudFront alias: the one hostname of R1. */
  readonly domainName: string;
  /** Validated ACM certificate in us-east-1. */
  readonly certificateArn: string;
  /** What serves the paths outside `pathPattern`. */
  readonly defaultOrigin: DefaultBehaviorOrigin;
  /** The API's origin hostname: its custom domain's regional target, or its own execute-api hostname (R2). */
  readonly apiOriginHostname: string;
  /** CloudFront path pattern routed to the API (R1). */
  readonly pathPattern: string;
  /** Accept plain ws:// from viewers (R6). @default false: wss:// only */
  readonly allowPlainWs?: boolean;
  /** What the API origin needs before it answers for the alias (the custom domain's API mapping, R3). @default [] */
  readonly originDependsOn?: ITerraformDependable[];
  /** @default "PriceClass_All" */
  readonly priceClass?: string;
  /** ARN of an AWS WAF (v2, CLOUDFRONT scope) web ACL that inspects every viewer request. @default - no web ACL */
  readonly webAclArn?: string;
}

const SITE_ORIGIN = "site";
const CUSTOM_ORIGIN = "default";
const API_ORIGIN = "websocket-api";

/** The API origin's settings (R2): HTTPS only, TLS 1.2, no origin path. */
const apiOrigin = (hostname: string): CloudfrontDistributionOrigin => ({
  originId: API_ORIGIN,
  domainName: hostname,
  customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"] },
});

/** How a behavior hands requests to the WebSocket API (R4, R5, R6). */
function apiBehavior(allowPlainWs: boolean): Omit<CloudfrontDistributionDefaultCacheBehavior, "targetOriginId"> {
  return {
    // R6: redirect-to-https would answer a ws:// client with 301, so never redirect.
    viewerProtocolPolicy: allowPlainWs ? "allow-all" : "https-only",
    // R5: every method (the @connections API uses POST, GET, DELETE), nothing cached.
    allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
    cachedMethods: ["GET", "HEAD"],
    minTtl: 0,
    defaultTtl: 0,
    maxTtl: 0,
    compress: false,
    // R4: legacy "cache based on selected request headers", as the source document sets it.
    forwardedValues: {
      queryString: true,
      headers: [...WEBSOCKET_FORWARDED_HEADERS],
      cookies: { forward: "none" },
    },
  };
}

/** The default behavior and the origin it needs besides the API's. */
function defaultBehavior(
  origin: DefaultBehaviorOrigin,
  allowPlainWs: boolean,
): { behavior: CloudfrontDistributionDefaultCacheBehavior; origins: CloudfrontDistributionOrigin[]; serves: string } {
  switch (origin.kind) {
    case "site":
      return {
        serves: "site",
        origins: [
          { originId: SITE_ORIGIN, domainName: origin.site.bucket.bucketRegionalDomainName, originAccessControlId: origin.site.originAccessControl.id },
        ],
        behavior: {
          targetOriginId: SITE_ORIGIN,
          viewerProtocolPolicy: "redirect-to-https",
          allowedMethods: ["GET", "HEAD"],
          cachedMethods: ["GET", "HEAD"],
          cachePolicyId: CACHING_OPTIMIZED_POLICY_ID,
          responseHeadersPolicyId: SECURITY_HEADERS_POLICY_ID,
          compress: true,
        },
      };
    case "custom":
      return {
        serves: origin.origin.domainName,
        origins: [
          {
            originId: CUSTOM_ORIGIN,
            domainName: origin.origin.domainName,
            originPath: origin.origin.originPath,
            customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"] },
          },
        ],
        behavior: {
          targetOriginId: CUSTOM_ORIGIN,
          viewerProtocolPolicy: "redirect-to-https",
          allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
          cachedMethods: ["GET", "HEAD"],
          cachePolicyId: origin.origin.cachePolicyId ?? CACHING_DISABLED_POLICY_ID,
          originRequestPolicyId: origin.origin.originRequestPolicyId ?? ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID,
          responseHeadersPolicyId: SECURITY_HEADERS_POLICY_ID,
          compress: true,
        },
      };
    case "api":
      return { serves: "", origins: [], behavior: { targetOriginId: API_ORIGIN, ...apiBehavior(allowPlainWs) } };
  }
}

/**
 * The distribution of R1: the default behavior to the site bucket (or the caller's origin), the
 * WebSocket API under `pathPattern`, one alias with an SNI certificate and TLS 1.2+.
 */
export class Distribution extends Construct {
  readonly distribution: CloudfrontDistribution;

  constructor(scope: Construct, id: string, props: DistributionProps) {
    super(scope, id);
    const allowPlainWs = props.allowPlainWs ?? false;
    const fallback = defaultBehavior(props.defaultOrigin, allowPlainWs);
    this.distribution = new CloudfrontDistribution(this, "distribution", {
      dependsOn: props.originDependsOn,
      enabled: true,
      comment: `${props.domainName}: ${fallback.serves ? `${fallback.serves} + ` : ""}WebSocket API`,
      aliases: [props.domainName],
      isIpv6Enabled: true,
      httpVersion: "http2and3",
      priceClass: props.priceClass ?? "PriceClass_All",
      defaultRootObject: props.defaultOrigin.kind === "site" ? "index.html" : undefined,
      // WAFv2 web ACLs are attached by ARN in web_acl_id.
      webAclId: props.webAclArn,
      viewerCertificate: {
        acmCertificateArn: props.certificateArn,
        sslSupportMethod: "sni-only",
        minimumProtocolVersion: "TLSv1.2_2021",
      },
      restrictions: { geoRestriction: { restrictionType: "none" } },
      origin: [...fallback.origins, apiOrigin(props.apiOriginHostname)],
      defaultCacheBehavior: fallback.behavior,
      orderedCacheBehavior: [{ pathPattern: props.pathPattern, targetOriginId: API_ORIGIN, ...apiBehavior(allowPlainWs) }],
    });
  }
}
