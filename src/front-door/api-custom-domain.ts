import { Apigatewayv2ApiMapping } from "@cdktf/provider-aws/lib/apigatewayv2-api-mapping";
import { Apigatewayv2DomainName } from "@cdktf/provider-aws/lib/apigatewayv2-domain-name";
import { Construct } from "constructs";

export interface ApiCustomDomainProps {
  /** MUST equal the CloudFront alias: CloudFront forwards it as Host and TLS SNI (R3). */
  readonly domainName: string;
  /** Validated ACM certificate in the API's region. */
  readonly certificateArn: string;
  /** The stage the mapping points at. */
  readonly stage: { readonly apiId: string; readonly name: string };
  /** API mapping key = the CloudFront path of the socket, e.g. "websocket". */
  readonly mappingKey: string;
}

/**
 * R3: a REGIONAL custom domain with the same name as the CloudFront alias, and the API mapping
 * `<mappingKey>` -> stage. With Host forwarded (R4) API Gateway routes the request by this domain,
 * so the CloudFront path need not equal the stage name and @connections calls verify (R11).
 * No DNS record points here: clients reach it only through CloudFront, whose origin is this
 * domain's regional target (or, as the source document did, the API's default hostname).
 */
export class ApiCustomDomain extends Construct {
  readonly domain: Apigatewayv2DomainName;
  readonly mapping: Apigatewayv2ApiMapping;
  /**
   * The custom domain's regional target `d-….execute-api.<region>.amazonaws.com`: CloudFront's origin
   * (R2). AWS's knowledge-center article puts the custom domain's NAME there, but here that name is
   * CloudFront's own alias and would resolve back to CloudFront; the target is where it points.
   */
  readonly targetHostname: string;

  constructor(scope: Construct, id: string, props: ApiCustomDomainProps) {
    super(scope, id);
    this.domain = new Apigatewayv2DomainName(this, "domain", {
      domainName: props.domainName,
      domainNameConfiguration: {
        certificateArn: props.certificateArn,
        endpointType: "REGIONAL",
        securityPolicy: "TLS_1_2",
      },
    });
    this.targetHostname = this.domain.domainNameConfiguration.targetDomainName;
    this.mapping = new Apigatewayv2ApiMapping(this, "mapping", {
      apiId: props.stage.apiId,
      domainName: this.domain.domainName,
      stage: props.stage.name,
      apiMappingKey: props.mappingKey,
    });
  }
}
