import type { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Construct } from "constructs";

export interface AliasRecordsProps {
  /** The hostname that should reach the distribution. */
  readonly domainName: string;
  /** Route 53 zone of the hostname. */
  readonly hostedZoneId: string;
  readonly distribution: CloudfrontDistribution;
}

/** R8: Route 53 alias A and AAAA records (the distribution has IPv6 on) pointing at CloudFront. */
export class AliasRecords extends Construct {
  constructor(scope: Construct, id: string, props: AliasRecordsProps) {
    super(scope, id);
    for (const type of ["A", "AAAA"]) {
      new Route53Record(this, type, {
        zoneId: props.hostedZoneId,
        name: props.domainName,
        type,
        alias: {
          name: props.distribution.domainName,
          zoneId: props.distribution.hostedZoneId,
          evaluateTargetHealth: false,
        },
      });
    }
  }
}
