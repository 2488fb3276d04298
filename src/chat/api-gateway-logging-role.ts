import { ApiGatewayAccount } from "@cdktf/provider-aws/lib/api-gateway-account";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";

export interface ApiGatewayLoggingRoleProps {
  /** Physical name of the role. */
  readonly roleName: string;
}

/**
 * The ACCOUNT-WIDE API Gateway setting "CloudWatch log role ARN" (one per account and region),
 * pointed at a role created here. A stage with execution logging cannot be created without it
 * ("CloudWatch Logs role ARN must be set in account settings to enable logging").
 *
 * Whoever applies this owns the setting for the whole region: another stack that sets it too
 * overwrites it (AWS: "you should only have one AWS::ApiGateway::Account resource per region per
 * account", https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigateway-account.html).
 * On destroy, `reset_on_delete` clears the setting, so it never names the role destroyed with it
 * (https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/api_gateway_account#reset_on_delete).
 * Provider 5.x marks the argument deprecated (validate warns) because 6.x always resets on destroy.
 */
export class ApiGatewayLoggingRole extends Construct {
  readonly role: IamRole;
  /** The account setting; depend on it before creating a stage that logs. */
  readonly account: ApiGatewayAccount;

  constructor(scope: Construct, id: string, props: ApiGatewayLoggingRoleProps) {
    super(scope, id);
    const assumeRole = new DataAwsIamPolicyDocument(this, "assume-role", {
      statement: [{ effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["apigateway.amazonaws.com"] }] }],
    });
    this.role = new IamRole(this, "role", { name: props.roleName, assumeRolePolicy: assumeRole.json });
    const attachment = new IamRolePolicyAttachment(this, "policy", {
      role: this.role.name,
      policyArn: "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
    });
    // API Gateway checks the role's permissions when the setting is made: attach the policy first.
    this.account = new ApiGatewayAccount(this, "account", {
      cloudwatchRoleArn: this.role.arn,
      resetOnDelete: true,
      dependsOn: [attachment],
    });
  }
}
