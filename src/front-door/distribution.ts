import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
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

export interface DistributionProps {
  /** The CloudFront alias: the one hostname of R1. */
  readonly domainName: string;
  /** Validated ACM certificate in us-east-1. */
  readonly certificateArn: string;
  /** Default origin: the private site bucket, read through its OAC. */
  readonly site: SiteBucket;
  /** The API's original hostname `<api-id>.execute-api.<region>.amazonaws.com` (R2). */
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
const API_ORIGIN = "websocket-api";

/**
 * The distribution of R1: the site bucket as default origin, the WebSocket API under
 * `pathPattern`, one alias with an SNI certificate and TLS 1.2+.
 */
export class Distribution extends Construct {
  readonly distribution: CloudfrontDistribution;

  constructor(scope: Construct, id: string, props: DistributionProps) {
    super(scope, id);
    const allowPlainWs = props.allowPlainWs ?? false;
    this.distribution = new CloudfrontDistribution(this, "distribution", {
      dependsOn: props.originDependsOn,
      enabled: true,
      comment: `${props.domainName}: site + WebSocket API`,
      aliases: [props.domainName],
      isIpv6Enabled: true,
      httpVersion: "http2and3",
      priceClass: props.priceClass ?? "PriceClass_All",
      defaultRootObject: "index.html",
      // WAFv2 web ACLs are attached by ARN in web_acl_id.
      webAclId: props.webAclArn,
      viewerCertificate: {
        acmCertificateArn: props.certificateArn,
        sslSupportMethod: "sni-only",
        minimumProtocolVersion: "TLSv1.2_2021",
      },
      restrictions: { geoRestriction: { restrictionType: "none" } },
      origin: [
        {
          originId: SITE_ORIGIN,
          domainName: props.site.bucket.bucketRegionalDomainName,
          originAccessControlId: props.site.originAccessControl.id,
        },
        {
          // R2: the ORIGINAL execute-api hostname, no origin path; HTTPS only, TLS 1.2.
          originId: API_ORIGIN,
          domainName: props.apiOriginHostname,
          customOriginConfig: {
            httpPort: 80,
            httpsPort: 443,
            originProtocolPolicy: "https-only",
            originSslProtocols: ["TLSv1.2"],
          },
        },
      ],
      defaultCacheBehavior: {
        targetOriginId: SITE_ORIGIN,
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ["GET", "HEAD"],
        cachedMethods: ["GET", "HEAD"],
        cachePolicyId: CACHING_OPTIMIZED_POLICY_ID,
        responseHeadersPolicyId: SECURITY_HEADERS_POLICY_ID,
        compress: true,
      },
      orderedCacheBehavior: [
        {
          pathPattern: props.pathPattern,
          targetOriginId: API_ORIGIN,
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
        },
      ],
    });
  }
}
