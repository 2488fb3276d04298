import { Apigatewayv2Api } from "@cdktf/provider-aws/lib/apigatewayv2-api";
import type { Apigatewayv2Authorizer } from "@cdktf/provider-aws/lib/apigatewayv2-authorizer";
import { Apigatewayv2Integration } from "@cdktf/provider-aws/lib/apigatewayv2-integration";
import { Apigatewayv2Route } from "@cdktf/provider-aws/lib/apigatewayv2-route";
import { Apigatewayv2Stage } from "@cdktf/provider-aws/lib/apigatewayv2-stage";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import type { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import type { ITerraformDependable } from "cdktf";
import { ROUTE_SELECTION_EXPRESSION } from "../../lambdas/contract/routes";
import { Construct } from "constructs";

export interface WebSocketApiProps {
  /** Physical name of the API (also names its access log group). */
  readonly apiName: string;
  /** Region of the API (that of the provider in scope); part of its default hostname. */
  readonly region: string;
  /**
   * Turn off the default `<api-id>.execute-api.<region>.amazonaws.com` endpoint, so that the API
   * answers only through its custom domain (and so only through CloudFront). @default false
   */
  readonly disableDefaultEndpoint?: boolean;
  /** What the stage needs before it can log: the account's CloudWatch role setting. @default [] */
  readonly stageDependsOn?: ITerraformDependable[];
  /** The stage's name (R3's API mapping points at it). */
  readonly stageName: string;
  /** Stage default route throttling. */
  readonly throttling: { readonly burstLimit: number; readonly rateLimit: number };
  /** Retention of the access log group. */
  readonly logRetentionDays: number;
}

/**
 * JSON access log line: enough to join a client's request to the Lambda logs by requestId.
 * `$context.identity.sourceIp` is "the source IP address of the TCP connection making the request to
 * API Gateway" (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-logging.html):
 * behind CloudFront always a CloudFront edge address, hence `edgeIp`. The WebSocket access log has no
 * variable for a request header such as X-Forwarded-For; the viewer's own address is in CloudFront's
 * logs (and, with the web ACL, WAF's).
 */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  connectionId: "$context.connectionId",
  routeKey: "$context.routeKey",
  eventType: "$context.eventType",
  status: "$context.status",
  edgeIp: "$context.identity.sourceIp",
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
  /** The log group API Gateway writes execution logs to, created here so that it has a retention. */
  readonly executionLogGroup: CloudwatchLogGroup;
  /** The API's default hostname `<api-id>.execute-api.<region>.amazonaws.com` (the source document's origin, R2). */
  readonly defaultHostname: string;

  constructor(scope: Construct, id: string, props: WebSocketApiProps) {
    super(scope, id);
    this.api = new Apigatewayv2Api(this, "api", {
      name: props.apiName,
      protocolType: "WEBSOCKET",
      routeSelectionExpression: ROUTE_SELECTION_EXPRESSION,
      disableExecuteApiEndpoint: props.disableDefaultEndpoint ?? false,
    });
    this.defaultHostname = `${this.api.id}.execute-api.${props.region}.amazonaws.com`;
    const { stageName } = props;

    this.accessLogGroup = new CloudwatchLogGroup(this, "access-logs", {
      name: `/aws/apigateway/${props.apiName}`,
      retentionInDays: props.logRetentionDays,
    });

    // With execution logging on, API Gateway creates "API-Gateway-Execution-Logs_{api-id}/{stage}"
    // itself, with no retention and outside Terraform; created here first, it gets one
    // (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html).
    this.executionLogGroup = new CloudwatchLogGroup(this, "execution-logs", {
      name: `API-Gateway-Execution-Logs_${this.api.id}/${stageName}`,
      retentionInDays: props.logRetentionDays,
    });

    this.stage = new Apigatewayv2Stage(this, "stage", {
      apiId: this.api.id,
      name: stageName,
      autoDeploy: true,
      accessLogSettings: { destinationArn: this.accessLogGroup.arn, format: ACCESS_LOG_FORMAT },
      defaultRouteSettings: {
        throttlingBurstLimit: props.throttling.burstLimit,
        throttlingRateLimit: props.throttling.rateLimit,
        loggingLevel: "ERROR",
        dataTraceEnabled: false,
      },
      dependsOn: [this.executionLogGroup, ...(props.stageDependsOn ?? [])],
    });
  }

  /**
   * Routes `routeKey` to `fn` through a Lambda proxy integration; API Gateway may invoke `fn` for
   * this API only. With `authorizer` (`$connect` only: the one route API Gateway authorizes), it runs first.
   */
  addRoute(routeKey: string, fn: LambdaFunction, authorizer?: Apigatewayv2Authorizer): void {
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
      ...(authorizer ? { authorizationType: "CUSTOM", authorizerId: authorizer.id } : {}),
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
