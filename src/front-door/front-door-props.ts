import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { type IResolvable, Token } from "cdktf";
import { CLOUDFRONT_CERTIFICATE_REGION } from "./aws-regions";
import { FQDN, fqdnProblem, MAX_CERTIFICATE_DOMAIN_LENGTH } from "./domain-name";
import {
  type InputIssue,
  type InputNames,
  namePrefixIssues,
  pathPatternFormIssues,
  routingIssues,
  siteObjectIssues,
  socketPathIssues,
  zoneIssues,
} from "./front-door-checks";
import { listSiteFiles, SiteFolderError, type SiteListing } from "./site-files";
import { siteBucketNameProblem } from "./site-bucket-name";
import type { CustomDefaultOrigin } from "./distribution";
import type { GeneratedSiteFile } from "./site-files";

/** A WebSocket API: a `Apigatewayv2Api`, or a `DataAwsApigatewayv2Api` for an API managed elsewhere. */
export interface WebSocketApiRef {
  /** The API's id. */
  readonly id: string;
  /** `wss://<api-id>.execute-api.<region>.amazonaws.com`: the origin when `apiOrigin` is "execute-api". */
  readonly apiEndpoint: string;
  /** Whether its default endpoint is off, when known at synth (an `Apigatewayv2Api` tells). @default - unknown: not checked */
  readonly disableExecuteApiEndpointInput?: boolean | IResolvable;
}

/** The stage the socket's path maps to: an `Apigatewayv2Stage`, or these three values. */
export interface WebSocketStageRef {
  /** Id of the stage's API. */
  readonly apiId: string;
  /** The stage's name (the API mapping points at it). */
  readonly name: string;
  /** `arn:aws:execute-api:<region>:<account>:<api-id>/<stage>`: what the @connections grants are scoped to. */
  readonly executionArn: string;
}

/** A Route 53 public hosted zone: a `Route53Zone`, a `DataAwsRoute53Zone`, or its id and name. */
export interface HostedZoneRef {
  readonly zoneId: string;
  /** The zone's name; when known at synth, `domainName` is checked to lie inside it. @default - not checked */
  readonly name?: string;
}

/** The AWS providers the front door's resources are managed with. */
export interface FrontDoorProviders {
  /**
   * Provider in the API's region: the API's custom domain, its certificate and the site bucket
   * live there; global resources (CloudFront, Route 53, IAM) are managed with it too.
   */
  readonly api: AwsProvider;
  /**
   * Provider in us-east-1, where CloudFront takes its certificate from.
   * @default - `api`, which must then be in us-east-1 (one certificate serves CloudFront and the API)
   */
  readonly usEast1?: AwsProvider;
}

/** The static site the default behavior serves from a private S3 bucket. */
export interface FrontDoorSite {
  /**
   * The files to publish: a folder (a relative path resolves against the working directory, as a
   * TerraformAsset's does) or a listing from `listSiteFiles`. Dot names and symbolic links are skipped.
   */
  readonly files: string | SiteListing;
  /** Objects written at synth rather than read from the folder. @default [] */
  readonly generated?: readonly GeneratedSiteFile[];
  /**
   * The Cache-Control of the folder's object with this key, e.g. long-lived for content-hashed names.
   * @default - "no-cache" for every object: CloudFront revalidates by ETag, so a deploy is seen at once
   */
  readonly cacheControl?: (key: string) => string;
}

/** Certificates the caller manages: their VALIDATED ARNs, for the hostname. */
export interface FrontDoorCertificates {
  /** ACM certificate in us-east-1, for CloudFront. */
  readonly cloudFrontArn: string;
  /** ACM certificate in the API's region, for its custom domain. @default - `cloudFrontArn` (the API is in us-east-1) */
  readonly regionalArn?: string;
}

export interface WebSocketCloudFrontProps {
  /** The one hostname that serves the site and the socket: CloudFront's alias AND the API's custom domain (R3). */
  readonly domainName: string;
  /**
   * The Route 53 public hosted zone of `domainName`: it gets the certificates' validation record (R7)
   * and the alias records (R8). @default - none: then `certificates` must be given and `aliasRecords` be false
   */
  readonly hostedZone?: HostedZoneRef;
  /** The WebSocket API to front. */
  readonly api: WebSocketApiRef;
  /** The stage that `socketPath` maps to. */
  readonly stage: WebSocketStageRef;
  /** Providers in the API's region and in us-east-1. */
  readonly providers: FrontDoorProviders;
  /** The socket's path on the hostname, which is also the API mapping key (R3). @default "websocket" */
  readonly socketPath?: string;
  /** CloudFront path pattern routed to the API (R1). @default "<socketPath>*" */
  readonly pathPattern?: string;
  /** A static site for every other path, from a private S3 bucket read through OAC. @default - no site */
  readonly site?: FrontDoorSite;
  /**
   * An origin of the caller's for every other path, instead of a site.
   * @default - no origin: without `site` either, every other path goes to the API, which answers 403
   */
  readonly defaultOrigin?: CustomDefaultOrigin;
  /** Let viewers use plain ws:// (R6); CloudFront still uses HTTPS to the API. @default false */
  readonly allowPlainWs?: boolean;
  /** ARN of an AWS WAF web ACL (CLOUDFRONT scope, in us-east-1) for the distribution. @default - none */
  readonly webAclArn?: string;
  /**
   * CloudFront's origin for the API (R2): "custom-domain" is the custom domain's regional target
   * `d-….execute-api.<region>.amazonaws.com` (turn the API's default endpoint off, so that nobody
   * bypasses CloudFront); "execute-api" is the API's own hostname, as the source document did.
   * @default "custom-domain"
   */
  readonly apiOrigin?: "custom-domain" | "execute-api";
  /** Certificates of the caller's. @default - two DNS-validated certificates are created in `hostedZone` (one when the API is in us-east-1) */
  readonly certificates?: FrontDoorCertificates;
  /** Create Route 53 alias A and AAAA records for `domainName` (R8). @default true */
  readonly aliasRecords?: boolean;
  /**
   * Prefix of the physical names the front door gives (the site bucket, its OAC, the grant policies):
   * 2-30 characters, a lower-case letter, then a-z, 0-9 or "-". @default - "wscf-" and 8 hex digits of a hash of `domainName`
   */
  readonly namePrefix?: string;
  /** @default "PriceClass_All" */
  readonly priceClass?: string;
}

/** The construct's props, as its messages name them. */
const PROP_NAMES: InputNames = { socketPath: "socketPath", pathPattern: "pathPattern", site: "site.files", hostedZoneName: "hostedZone.name" };

/** Thrown at synth when a front door's props cannot work; `problems` holds one line per problem. */
export class FrontDoorInputError extends Error {
  constructor(
    path: string,
    readonly problems: readonly string[],
  ) {
    super(`${path}: ${problems.length} problem${problems.length === 1 ? "" : "s"} with the front door's props:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "FrontDoorInputError";
  }
}

/** The props with defaults resolved, for the construct to build from once no problem was found. */
export interface CheckedProps {
  readonly domainName: string;
  readonly socketPath: string;
  readonly pathPattern: string;
  readonly apiOrigin: "custom-domain" | "execute-api";
  readonly siteListing?: SiteListing;
}

/** A value the checks can read at synth: a literal, not a Terraform reference. */
const known = (value: string | undefined): value is string => value !== undefined && !Token.isUnresolved(value);

/** Region of a provider, or of an ARN, when it is known at synth. */
const arnRegion = (arn: string | undefined) => (known(arn) ? arn.split(":")[3] : undefined);

/** Every problem with `props` at once, each naming the prop and the fix, and the props with defaults. */
export function frontDoorIssues(props: WebSocketCloudFrontProps): { checked: CheckedProps; problems: string[] } {
  const issues: InputIssue[] = [];
  const { domainName } = props;
  const socketPath = props.socketPath ?? "websocket";
  const pathPattern = props.pathPattern ?? `${socketPath}*`;
  const apiOrigin = props.apiOrigin ?? "custom-domain";
  const wantsZone = props.certificates === undefined || (props.aliasRecords ?? true);

  if (known(domainName)) {
    if (!FQDN.test(domainName)) issues.push({ path: ["domainName"], input: domainName, message: fqdnProblem("domain name") });
    else if (domainName.length > MAX_CERTIFICATE_DOMAIN_LENGTH) {
      issues.push({
        path: ["domainName"],
        input: domainName,
        message: `must be at most ${MAX_CERTIFICATE_DOMAIN_LENGTH} characters: ACM certificates cannot name a longer domain`,
      });
    }
  }
  if (wantsZone && props.hostedZone === undefined) {
    issues.push({
      path: ["hostedZone"],
      message:
        "is required to validate the certificates and hold the alias records: pass the Route 53 zone, or give certificates and set aliasRecords to false",
    });
  }
  if (known(domainName) && known(props.hostedZone?.name)) issues.push(...zoneIssues(domainName, props.hostedZone.name.replace(/\.$/, ""), PROP_NAMES));

  const socketIssues = socketPathIssues(socketPath, PROP_NAMES);
  const patternIssues = pathPatternFormIssues(pathPattern, PROP_NAMES);
  issues.push(...socketIssues, ...patternIssues);

  let siteListing: SiteListing | undefined;
  if (props.site !== undefined) {
    const { files } = props.site;
    try {
      siteListing = typeof files === "string" ? listSiteFiles(files) : files;
    } catch (error) {
      if (!(error instanceof SiteFolderError)) throw error;
      issues.push({ path: ["site", "files"], input: files, message: `must be a folder of site files: ${error.message}` });
    }
    if (siteListing) issues.push(...siteObjectIssues(siteListing.files, typeof files === "string" ? files : "the site folder", PROP_NAMES));
    if (props.defaultOrigin !== undefined) {
      issues.push({ path: ["defaultOrigin"], message: "cannot be given with site: the default behavior serves one of them" });
    }
  }
  if (socketIssues.length === 0 && patternIssues.length === 0) {
    const site = siteListing && {
      files: siteListing.files.map((file) => file.key),
      generated: (props.site?.generated ?? []).map((file) => ({ key: file.key, purpose: file.purpose ?? "a generated file" })),
      folder: typeof props.site?.files === "string" ? props.site.files : "the site folder",
    };
    issues.push(...routingIssues(socketPath, pathPattern, site, PROP_NAMES));
  }

  const prefixIssues = props.namePrefix === undefined ? [] : namePrefixIssues(props.namePrefix, "namePrefix");
  issues.push(...prefixIssues);
  const bucketProblem = prefixIssues.length === 0 && known(props.namePrefix) && props.site !== undefined ? siteBucketNameProblem(props.namePrefix) : undefined;
  if (bucketProblem !== undefined) issues.push({ path: ["namePrefix"], input: props.namePrefix, message: bucketProblem });
  issues.push(...providerIssues(props));
  if (known(props.webAclArn) && !/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\//.test(props.webAclArn)) {
    issues.push({
      path: ["webAclArn"],
      input: props.webAclArn,
      message: "must be the ARN of an AWS WAF web ACL of CLOUDFRONT scope (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>)",
    });
  }
  if (apiOrigin === "execute-api" && props.api.disableExecuteApiEndpointInput === true) {
    issues.push({
      path: ["apiOrigin"],
      input: apiOrigin,
      message: "is the API's default endpoint, which the API turns off: use custom-domain, or turn the endpoint on",
    });
  }
  const problems = issues.map(
    ({ path, input, message }) => `${path.map(String).join(".")} ${message}${input !== undefined ? `; got ${JSON.stringify(input)}` : ""}`,
  );
  return { checked: { domainName, socketPath, pathPattern, apiOrigin, siteListing }, problems };
}

/** CloudFront takes certificates from us-east-1 only; a caller's ARNs must be there and in the API's region. */
function providerIssues(props: WebSocketCloudFrontProps): InputIssue[] {
  const issues: InputIssue[] = [];
  const { api, usEast1 } = props.providers;
  const certificates = props.certificates;
  if (certificates !== undefined) {
    const region = arnRegion(certificates.cloudFrontArn);
    if (region !== undefined && region !== CLOUDFRONT_CERTIFICATE_REGION) {
      issues.push({
        path: ["certificates", "cloudFrontArn"],
        input: certificates.cloudFrontArn,
        message: `must be an ACM certificate in ${CLOUDFRONT_CERTIFICATE_REGION}, where CloudFront takes certificates from`,
      });
    }
    const regional = arnRegion(certificates.regionalArn ?? certificates.cloudFrontArn);
    if (regional !== undefined && known(api.region) && regional !== api.region) {
      issues.push({
        path: ["certificates", "regionalArn"],
        input: certificates.regionalArn,
        message: `must be an ACM certificate in the API's region ${api.region} (its custom domain takes certificates from there)`,
      });
    }
    return issues;
  }
  if (usEast1 !== undefined && known(usEast1.region) && usEast1.region !== CLOUDFRONT_CERTIFICATE_REGION) {
    issues.push({
      path: ["providers", "usEast1"],
      input: usEast1.region,
      message: `must be a provider in ${CLOUDFRONT_CERTIFICATE_REGION}, where CloudFront takes certificates from`,
    });
  }
  if (usEast1 === undefined && known(api.region) && api.region !== CLOUDFRONT_CERTIFICATE_REGION) {
    issues.push({
      path: ["providers", "usEast1"],
      message: `is required: the API's provider is in ${api.region}, and CloudFront takes certificates from ${CLOUDFRONT_CERTIFICATE_REGION} only`,
    });
  }
  return issues;
}
