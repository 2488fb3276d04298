import { resolve } from "node:path";
import type { Apigatewayv2Authorizer } from "@cdktf/provider-aws/lib/apigatewayv2-authorizer";
import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import type { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { Construct } from "constructs";
import { messageRateEnvironment } from "../../lambdas/contract/rate-settings";
import { AUTHORIZER_ENTRY, CHAT_ROUTES, SEND_MESSAGE_ACTION, type ChatRoute, FANOUT_WORKER_ENTRY, type RouteKey } from "../../lambdas/contract/routes";
import { settingsEnvironment } from "../../lambdas/contract/settings";
import { METRICS_DEPLOYMENT_ENV } from "../../lambdas/contract/telemetry";
import { ConnectAuthorizer } from "../access/connect-authorizer";
import type { Config } from "../config/config";
import { Fanout } from "../fanout/fanout";
import { ChatFunction } from "../functions/chat-function";
import { bundleHandlers } from "../functions/lambda-bundle";
import { PROJECT_ROOT } from "../functions/project-root";
import { ApiGatewayLoggingRole } from "./api-gateway-logging-role";
import { ConnectionsTable } from "./connections-table";
import { physicalName } from "./names";
import { WebSocketApi } from "./websocket-api";

export interface ChatBackendProps {
  /** The validated configuration: names, API settings, fan-out, auth and message rate. */
  readonly config: Config;
  /** Where the handlers call @connections: the front door's `managementEndpoint` (R10). */
  readonly managementEndpoint: string;
}

/**
 * The chat of the source document (R9), behind the front door: the WebSocket API and its stage,
 * the connections table, one function per route with its own least-privilege role, the split
 * fan-out over SQS, and, with auth, the `$connect` authorizer and the per-connection message rate.
 */
export class ChatBackend extends Construct {
  readonly api: WebSocketApi;
  readonly table: ConnectionsTable;
  readonly fanout: Fanout;
  /** Every function, by purpose (`connect`, `sendmessage`…, `fanout`): each gets errors and throttles alarms. */
  readonly functions: Readonly<Record<string, LambdaFunction>>;
  /** Every log group, by purpose: the API's access and execution logs, and each function's. */
  readonly logGroups: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ChatBackendProps) {
    super(scope, id);
    const { config } = props;
    const name = (purpose: string) => physicalName(config.namePrefix, purpose);

    this.table = new ConnectionsTable(this, "connections", { tableName: name("connections") });
    // Execution logging needs the account's CloudWatch role: set it here, or trust the account's own.
    const loggingRole =
      config.apiGatewayLogsRole === "create" ? new ApiGatewayLoggingRole(this, "api-gateway-logging", { roleName: name("apigw-logs") }) : undefined;
    this.api = new WebSocketApi(this, "websocket-api", {
      apiName: name("chat"),
      region: config.region,
      stageName: config.stageName,
      throttling: config.throttling,
      logRetentionDays: config.logRetentionDays,
      // R2: fronting the custom domain, CloudFront is the only way in; the default endpoint is off.
      disableDefaultEndpoint: config.apiOrigin === "custom-domain",
      stageDependsOn: loggingRole ? [loggingRole.account] : [],
    });

    const environment = {
      ...settingsEnvironment({ tableName: this.table.table.name, managementEndpoint: props.managementEndpoint, fanoutConcurrency: config.fanoutConcurrency }),
      // The chat metrics' deployment dimension, which the alarms and the dashboard match.
      [METRICS_DEPLOYMENT_ENV]: config.namePrefix,
    };
    const routes = Object.entries(CHAT_ROUTES) as Array<[RouteKey, ChatRoute]>;
    // Every handler in ONE esbuild call: the routes', the fan-out worker's and, with auth, the authorizer's.
    const entries = [...routes.map(([, { entry }]) => entry), FANOUT_WORKER_ENTRY, ...(config.auth.type === "jwt" ? [AUTHORIZER_ENTRY] : [])];
    const bundles = bundleHandlers(Object.fromEntries(entries.map((entry) => [entry, resolve(PROJECT_ROOT, "lambdas", `${entry}.ts`)])));

    // Broadcasts above the inline limit are split over the fan-out queue and its worker.
    this.fanout = new Fanout(this, "fanout", {
      config: config.fanout,
      name: name("fanout"),
      chatEnvironment: environment,
      // DELETE closes a recipient whose buffer stays full (lambdas/delivery/deliver.ts).
      workerStatements: [this.table.grant("dynamodb:Scan", "dynamodb:DeleteItem"), this.api.grantManageConnections("POST", "DELETE")],
      logRetentionDays: config.logRetentionDays,
      bundle: bundles[FANOUT_WORKER_ENTRY],
    });
    // What each route's function may do besides writing its own logs (least privilege, per route).
    const permissions: Record<RouteKey, DataAwsIamPolicyDocumentStatement[]> = {
      $connect: [this.table.grant("dynamodb:PutItem")],
      $disconnect: [this.table.grant("dynamodb:DeleteItem")],
      // UpdateItem: the sender's message token bucket, kept on its row; DELETE closes a connection
      // that keeps sending past its rate (lambdas/rate/check.ts), on both message routes.
      sendmessage: [
        this.table.grant("dynamodb:Scan", "dynamodb:DeleteItem", "dynamodb:UpdateItem"),
        this.api.grantManageConnections("POST", "DELETE"),
        this.fanout.grantSend(),
      ],
      $default: [this.table.grant("dynamodb:UpdateItem"), this.api.grantManageConnections("POST", "DELETE")],
    };

    // Who may connect: the authorizer guards $connect only (API Gateway runs authorizers on no other WebSocket route).
    const authorizer =
      config.auth.type === "jwt"
        ? new ConnectAuthorizer(this, "connect-authorizer", {
            api: this.api.api,
            functionName: name(AUTHORIZER_ENTRY),
            bundle: bundles[AUTHORIZER_ENTRY],
            issuer: config.auth.issuer,
            audience: config.auth.audience,
            jwksUri: config.auth.jwksUri,
            logRetentionDays: config.logRetentionDays,
          })
        : undefined;
    const rateEnvironment = messageRateEnvironment(config.messageRate);
    // What differs per route besides permissions: sendmessage's splitting, the message routes' rate settings, $connect's authorizer.
    const environments: Partial<Record<RouteKey, Record<string, string>>> = {
      [SEND_MESSAGE_ACTION]: { ...environment, ...this.fanout.senderEnvironment, ...rateEnvironment },
      $default: { ...environment, ...rateEnvironment },
    };
    const authorizers: Partial<Record<RouteKey, Apigatewayv2Authorizer>> = { $connect: authorizer?.authorizer };

    const functions: Record<string, ChatFunction> = {};
    for (const [routeKey, { entry, timeoutSeconds }] of routes) {
      const fn = new ChatFunction(this, `${entry}-function`, {
        functionName: name(entry),
        bundle: bundles[entry],
        environment: environments[routeKey] ?? environment,
        statements: permissions[routeKey],
        logRetentionDays: config.logRetentionDays,
        timeoutSeconds,
      });
      this.api.addRoute(routeKey, fn.function, authorizers[routeKey]);
      functions[entry] = fn;
    }
    functions.fanout = this.fanout.worker.worker;
    this.functions = Object.fromEntries(Object.entries(functions).map(([purpose, fn]) => [purpose, fn.function]));
    this.logGroups = {
      access: this.api.accessLogGroup.name,
      execution: this.api.executionLogGroup.name,
      ...Object.fromEntries(Object.entries(functions).map(([purpose, fn]) => [purpose, fn.logGroup.name])),
      ...(authorizer ? { [AUTHORIZER_ENTRY]: authorizer.function.logGroup.name } : {}),
    };
  }
}
