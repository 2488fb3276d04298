import { createHash } from "node:crypto";
import type { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Annotations, Fn, TerraformDataSource, TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { AliasRecords } from "./alias-records";
import { ApiCustomDomain } from "./api-custom-domain";
import { Certificates } from "./certificates";
import { type DefaultBehaviorOrigin, Distribution } from "./distribution";
import { frontDoorIssues, FrontDoorInputError, type WebSocketCloudFrontProps, type WebSocketStageRef } from "./front-door-props";
import { SiteBucket } from "./site-bucket";
import { siteBucketPrefix } from "./site-bucket-name";

/** The socket's @connections endpoint behind CloudFront (R10): the hostname and the mapping key, never `domainName/stage`. */
export function managementEndpointOf(domainName: string, socketPath: string): string {
  return `https://${domainName}/${socketPath}`;
}

/** What a backend may do with @connections: POST sends, GET reads the status, DELETE closes (R11). */
export type ConnectionsMethod = "POST" | "GET" | "DELETE";

/**
 * CloudFront in front of a WebSocket API, on one hostname (R1-R8): a distribution whose
 * `pathPattern` goes to the API with the headers SigV4 and the handshake need, a regional API
 * custom domain of the same name mapped `socketPath` -> the stage (so @connections works through
 * CloudFront), the certificates, the alias records and, optionally, a private S3 site.
 */
export class WebSocketCloudFront extends Construct {
  /** `https://<domainName>/<socketPath>`: the @connections endpoint for the backend's ApiGatewayManagementApiClient (R10). */
  readonly managementEndpoint: string;
  /** `wss://<domainName>/<socketPath>` (or ws:// too, with `allowPlainWs`). */
  readonly websocketUrl: string;
  /** `https://<domainName>/`. */
  readonly url: string;
  readonly distribution: CloudfrontDistribution;
  /** The API's regional custom domain and its mapping. */
  readonly customDomain: ApiCustomDomain;
  /** The site's bucket, when `site` is given. */
  readonly site?: SiteBucket;
  /** The certificates in use, validated: CloudFront's (us-east-1) and the custom domain's (API's region). */
  readonly certificateArns: { readonly cloudFront: string; readonly regional: string };
  private readonly stage: WebSocketStageRef;
  private readonly namePrefix: string;
  private readonly apiProvider: AwsProvider;

  constructor(scope: Construct, id: string, props: WebSocketCloudFrontProps) {
    super(scope, id);
    const { checked, problems } = frontDoorIssues(props);
    if (problems.length > 0) throw new FrontDoorInputError(this.node.path, problems);
    const { domainName, socketPath, pathPattern, apiOrigin, siteListing } = checked;
    this.stage = props.stage;
    this.apiProvider = props.providers.api;
    this.namePrefix = props.namePrefix ?? `wscf-${createHash("sha256").update(domainName).digest("hex").slice(0, 8)}`;
    this.managementEndpoint = managementEndpointOf(domainName, socketPath);
    this.websocketUrl = `wss://${domainName}/${socketPath}`;
    this.url = `https://${domainName}/`;
    if (apiOrigin === "custom-domain" && props.api.disableExecuteApiEndpointInput !== true) {
      Annotations.of(this).addWarning(
        "The API's default endpoint is on: clients can reach it without CloudFront (and its web ACL). Set disableExecuteApiEndpoint on the API.",
      );
    }

    this.certificateArns = props.certificates
      ? { cloudFront: props.certificates.cloudFrontArn, regional: props.certificates.regionalArn ?? props.certificates.cloudFrontArn }
      : this.createCertificates(domainName, props);
    this.customDomain = new ApiCustomDomain(this, "api-custom-domain", {
      domainName,
      certificateArn: this.certificateArns.regional,
      stage: props.stage,
      mappingKey: socketPath,
    });
    if (siteListing) {
      this.site = new SiteBucket(this, "site", {
        bucketPrefix: siteBucketPrefix(this.namePrefix),
        site: siteListing,
        generated: props.site?.generated,
        cacheControl: props.site?.cacheControl,
      });
    }
    const defaultOrigin: DefaultBehaviorOrigin = this.site
      ? { kind: "site", site: this.site }
      : props.defaultOrigin
        ? { kind: "custom", origin: props.defaultOrigin }
        : { kind: "api" };
    const cdn = new Distribution(this, "cdn", {
      domainName,
      certificateArn: this.certificateArns.cloudFront,
      defaultOrigin,
      // execute-api: the API's own hostname, from its endpoint URL (`wss://<id>.execute-api.<region>.amazonaws.com`).
      apiOriginHostname: apiOrigin === "custom-domain" ? this.customDomain.targetHostname : Fn.trimprefix(props.api.apiEndpoint, "wss://"),
      pathPattern,
      allowPlainWs: props.allowPlainWs,
      originDependsOn: [this.customDomain.mapping],
      webAclArn: props.webAclArn,
      priceClass: props.priceClass,
    });
    this.distribution = cdn.distribution;
    this.site?.allowDistribution(this.distribution);
    if (props.aliasRecords ?? true) {
      new AliasRecords(this, "alias-records", { domainName, hostedZoneId: props.hostedZone!.zoneId, distribution: this.distribution });
    }
    // A consumer's stack may have a default provider in another region: everything not placed in
    // us-east-1 on purpose is managed with the API's provider.
    for (const element of this.node.findAll()) {
      if ((element instanceof TerraformResource || element instanceof TerraformDataSource) && element.provider === undefined) {
        element.provider = props.providers.api;
      }
    }
  }

  /** A policy statement that allows `methods` (default: all three) on this stage's @connections, and nothing else. */
  manageConnectionsStatement(...methods: ConnectionsMethod[]): DataAwsIamPolicyDocumentStatement {
    const allowed: ConnectionsMethod[] = methods.length > 0 ? methods : ["POST", "GET", "DELETE"];
    return {
      effect: "Allow",
      actions: ["execute-api:ManageConnections"],
      resources: allowed.map((method) => `${this.stage.executionArn}/${method}/@connections/*`),
    };
  }

  /** Lets `role` call @connections with `methods` (default: POST, GET and DELETE) on this stage only, by an inline policy. */
  grantManageConnections(role: IamRole, ...methods: ConnectionsMethod[]): IamRolePolicy {
    const id = `manage-connections-${role.node.addr.slice(0, 8)}`;
    const document = new DataAwsIamPolicyDocument(this, `${id}-document`, {
      provider: role.provider ?? this.apiProvider,
      statement: [this.manageConnectionsStatement(...methods)],
    });
    return new IamRolePolicy(this, id, {
      provider: role.provider ?? this.apiProvider,
      name: `${this.namePrefix}-manage-connections`,
      role: role.id,
      policy: document.json,
    });
  }

  private createCertificates(domainName: string, props: WebSocketCloudFrontProps): { cloudFront: string; regional: string } {
    const { api, usEast1 } = props.providers;
    const certificates = new Certificates(this, "certificates", {
      domainName,
      hostedZoneId: props.hostedZone!.zoneId,
      cloudFrontProvider: usEast1 ?? api,
      regionalProvider: usEast1 ? api : undefined,
    });
    return { cloudFront: certificates.cloudFrontCertificateArn, regional: certificates.regionalCertificateArn };
  }
}
