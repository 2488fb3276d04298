import { ApiGatewayAccount } from "@cdktf/provider-aws/lib/api-gateway-account";
import { Apigatewayv2Api } from "@cdktf/provider-aws/lib/apigatewayv2-api";
import { Apigatewayv2Integration } from "@cdktf/provider-aws/lib/apigatewayv2-integration";
import { Apigatewayv2Route } from "@cdktf/provider-aws/lib/apigatewayv2-route";
import { Apigatewayv2Stage } from "@cdktf/provider-aws/lib/apigatewayv2-stage";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import type { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { Construct } from "constructs";

export interface WebSocketApiProps {
  /** Physical name of the API (also names its log group and the logging role). */
  readonly apiName: string;
  /** Region of the API (that of the provider in scope); part of the origin hostname. */
  readonly region: string;
  /** @default "Prod" */
  readonly stageName?: string;
  /** Stage default route throttling. */
  readonly throttling: { readonly burstLimit: number; readonly rateLimit: number };
  /** Retention of the access log group. */
  readonly logRetentionDays: number;
}

/** JSON access log line: enough to join a client's request to the Lambda logs by requestId. */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  connectionId: "$context.connectionId",
  routeKey: "$context.routeKey",
  eventType: "$context.eventType",
  status: "$context.status",
  sourceIp: "$context.identity.sourceIp",
  requestTime: "$context.requestTimeEpoch",
  integrationError: "$context.integrationErrorMessage",
  error: "$context.error.message",
});

/**
 * The API Gateway WebSocket API (R9): routes by `$request.body.action`, one stage with JSON
 * access logs and default-route throttling, Lambda proxy integrations added with `addRoute`.
 */
export class WebSocketApi extends Construct {
  readonly api: Apigatewayv2Api;
  readonly stage: Apigatewayv2Stage;
  readonly accessLogGroup: CloudwatchLogGroup;
  /** The API's original hostname, CloudFront's origin (R2): `<api-id>.execute-api.<region>.amazonaws.com`. */
  readonly originHostname: string;

  constructor(scope: Construct, id: string, props: WebSocketApiProps) {
    super(scope, id);
    this.api = new Apigatewayv2Api(this, "api", {
      name: props.apiName,
      protocolType: "WEBSOCKET",
      routeSelectionExpression: "$request.body.action",
    });
    this.originHostname = `${this.api.id}.execute-api.${props.region}.amazonaws.com`;

    this.accessLogGroup = new CloudwatchLogGroup(this, "access-logs", {
      name: `/aws/apigateway/${props.apiName}`,
      retentionInDays: props.logRetentionDays,
    });

    // API Gateway writes logs only once the account-level CloudWatch role is set; without it
    // creating the stage fails with "CloudWatch Logs role ARN must be set in account settings".
    const assumeRole = new DataAwsIamPolicyDocument(this, "logging-assume-role", {
      statement: [{ effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["apigateway.amazonaws.com"] }] }],
    });
    const loggingRole = new IamRole(this, "logging-role", { name: `${props.apiName}-apigw-logs`, assumeRolePolicy: assumeRole.json });
    new IamRolePolicyAttachment(this, "logging-role-policy", {
      role: loggingRole.name,
      policyArn: "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
    });
    const account = new ApiGatewayAccount(this, "account", { cloudwatchRoleArn: loggingRole.arn });

    this.stage = new Apigatewayv2Stage(this, "stage", {
      apiId: this.api.id,
      name: props.stageName ?? "Prod",
      autoDeploy: true,
      accessLogSettings: { destinationArn: this.accessLogGroup.arn, format: ACCESS_LOG_FORMAT },
      defaultRouteSettings: {
        throttlingBurstLimit: props.throttling.burstLimit,
        throttlingRateLimit: props.throttling.rateLimit,
        loggingLevel: "ERROR",
        dataTraceEnabled: false,
      },
      dependsOn: [account],
    });
  }


  /** Routes `routeKey` to `fn` through a Lambda proxy integration; API Gateway may invoke `fn` for this API only. */
  addRoute(routeKey: string, fn: LambdaFunction): void {
    const id = routeKey.replace(/^\$/, "");
    const integration = new Apigatewayv2Integration(this, `${id}-integration`, {
      apiId: this.api.id,
      integrationType: "AWS_PROXY",
      integrationUri: fn.invokeArn,
      integrationMethod: "POST",
    });
    new Apigatewayv2Route(this, `${id}-route`, {
      apiId: this.api.id,
      routeKey,
      target: `integrations/${integration.id}`,
    });
    new LambdaPermission(this, `${id}-permission`, {
      statementId: "AllowApiGatewayInvoke",
      action: "lambda:InvokeFunction",
      functionName: fn.functionName,
      principal: "apigateway.amazonaws.com",
      sourceArn: `${this.api.executionArn}/${this.stage.name}/${routeKey}`,
    });
  }

  /** Lets a handler call @connections with `methods` (POST send, GET status, DELETE close) on this API's stage only. */
  grantManageConnections(...methods: Array<"POST" | "GET" | "DELETE">): DataAwsIamPolicyDocumentStatement {
    return {
      effect: "Allow",
      actions: ["execute-api:ManageConnections"],
      resources: methods.map((method) => `${this.stage.executionArn}/${method}/@connections/*`),
    };
  }
}
