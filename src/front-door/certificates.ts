import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Construct } from "constructs";

export interface CertificatesProps {
  /** The one hostname both certificates are for. */
  readonly domainName: string;
  /** Route 53 zone that receives the DNS validation record. */
  readonly hostedZoneId: string;
  /** Provider in us-east-1, where CloudFront takes its certificates from. */
  readonly cloudFrontProvider: AwsProvider;
  /**
   * Provider in the API's region, for the API Gateway custom domain's certificate.
   * @default - the API is in us-east-1 and the CloudFront certificate serves it too
   */
  readonly regionalProvider?: AwsProvider;
}

/**
 * R7: ACM certificates with DNS validation, one for CloudFront (us-east-1) and one for the API
 * Gateway regional custom domain. ACM answers both requests for the same name with the SAME
 * validation CNAME, so the record is created once and both validations wait on it.
 * Consumers get the VALIDATED ARNs, so nothing uses a certificate before it is issued.
 */
export class Certificates extends Construct {
  /** Validated certificate ARN in us-east-1, for the CloudFront viewer certificate. */
  readonly cloudFrontCertificateArn: string;
  /** Validated certificate ARN in the API's region, for the API Gateway custom domain. */
  readonly regionalCertificateArn: string;

  constructor(scope: Construct, id: string, props: CertificatesProps) {
    super(scope, id);
    const cloudFront = this.requestCertificate("cloudfront", props.domainName, props.cloudFrontProvider);

    // One domain, no SANs: exactly one validation option, so the record is keyed at synth time
    // (a for_each over the set would hit terraform-cdk#3713 and an unknown count on a fresh account).
    const option = cloudFront.domainValidationOptions.get(0);
    const record = new Route53Record(this, "validation-record", {
      zoneId: props.hostedZoneId,
      name: option.resourceRecordName,
      type: option.resourceRecordType,
      records: [option.resourceRecordValue],
      ttl: 300,
      allowOverwrite: true,
    });

    this.cloudFrontCertificateArn = this.validate("cloudfront", cloudFront, props.cloudFrontProvider, record);
    if (props.regionalProvider === undefined) {
      this.regionalCertificateArn = this.cloudFrontCertificateArn;
    } else {
      const regional = this.requestCertificate("regional", props.domainName, props.regionalProvider);
      this.regionalCertificateArn = this.validate("regional", regional, props.regionalProvider, record);
    }
  }

  private requestCertificate(id: string, domainName: string, provider: AwsProvider): AcmCertificate {
    return new AcmCertificate(this, id, {
      provider,
      domainName,
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      lifecycle: { createBeforeDestroy: true },
    });
  }

  private validate(id: string, certificate: AcmCertificate, provider: AwsProvider, record: Route53Record): string {
    return new AcmCertificateValidation(this, `${id}-validation`, {
      provider,
      certificateArn: certificate.arn,
      validationRecordFqdns: [record.fqdn],
    }).certificateArn;
  }
}
