import { resolve } from "node:path";
import type { Apigatewayv2Authorizer } from "@cdktf/provider-aws/lib/apigatewayv2-authorizer";
import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import type { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { Construct } from "constructs";
import { messageRateEnvironment } from "../../lambdas/contract/rate-settings";
import { AUTHORIZER_ENTRY, CHAT_ROUTES, SEND_MESSAGE_ACTION, type ChatRoute, FANOUT_WORKER_ENTRY, type RouteKey } from "../../lambdas/contract/routes";
import { SETTINGS_ENV, settingsEnvironment } from "../../lambdas/contract/settings";
import { CHANNEL_ACTIONS } from "../../lambdas/contract/channels";
import { METRICS_DEPLOYMENT_ENV } from "../../lambdas/contract/telemetry";
import { ConnectAuthorizer } from "../access/connect-authorizer";
import type { Config } from "../config/config";
import { Fanout } from "../fanout/fanout";
import { ChatFunction } from "../functions/chat-function";
import { bundleHandlers } from "../functions/lambda-bundle";
import { PROJECT_ROOT } from "../functions/project-root";
import { ApiGatewayLoggingRole } from "./api-gateway-logging-role";
import { ConnectionsTable } from "./connections-table";
import { MembersTable } from "./members-table";
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
  /** The channel members (lambdas/channels/members.ts). */
  readonly members: MembersTable;
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
    this.members = new MembersTable(this, "members", { tableName: name("channel-members") });
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
    // The channel functions' extras: the members table, and whether a token's claim limits channels.
    const channelEnvironment = {
      [SETTINGS_ENV.membersTable]: this.members.table.name,
      [SETTINGS_ENV.channelAccess]: config.auth.type === "jwt" ? "claims" : "open",
    };
    const routes = Object.entries(CHAT_ROUTES) as Array<[RouteKey, ChatRoute]>;
    // Every handler in ONE esbuild call: the routes', the fan-out worker's and, with auth, the authorizer's.
    const entries = [...routes.map(([, { entry }]) => entry), FANOUT_WORKER_ENTRY, ...(config.auth.type === "jwt" ? [AUTHORIZER_ENTRY] : [])];
    const bundles = bundleHandlers(Object.fromEntries(entries.map((entry) => [entry, resolve(PROJECT_ROOT, "lambdas", `${entry}.ts`)])));

    // Broadcasts above the inline limit are split over the fan-out queue and its worker.
    this.fanout = new Fanout(this, "fanout", {
      config: config.fanout,
      name: name("fanout"),
      chatEnvironment: { ...environment, ...channelEnvironment },
      // DELETE closes a recipient whose buffer stays full (lambdas/delivery/deliver.ts); a channel's
      // jobs Query its members and prune those gone.
      workerStatements: [
        this.table.grant("dynamodb:Scan", "dynamodb:DeleteItem"),
        this.members.grant("dynamodb:Query", "dynamodb:DeleteItem"),
        this.api.grantManageConnections("POST", "DELETE"),
      ],
      logRetentionDays: config.logRetentionDays,
      bundle: bundles[FANOUT_WORKER_ENTRY],
    });
    // What each route's function may do besides writing its own logs (least privilege, per route).
    const permissions: Record<RouteKey, DataAwsIamPolicyDocumentStatement[]> = {
      $connect: [this.table.grant("dynamodb:PutItem")],
      // The row's channel set names the memberships to delete with it (lambdas/channels/members.ts).
      $disconnect: [this.table.grant("dynamodb:DeleteItem"), this.members.grant("dynamodb:BatchWriteItem")],
      // UpdateItem: the sender's message token bucket, kept on its row; DELETE closes a connection
      // that keeps sending past its rate (lambdas/rate/check.ts), on both message routes.
      sendmessage: [
        this.table.grant("dynamodb:Scan", "dynamodb:DeleteItem", "dynamodb:UpdateItem"),
        this.api.grantManageConnections("POST", "DELETE"),
        this.fanout.grantSend(),
      ],
      $default: [this.table.grant("dynamodb:UpdateItem"), this.api.grantManageConnections("POST", "DELETE")],
      // UpdateItem: the connection's channel set (and its message bucket); the member item itself.
      subscribe: [this.table.grant("dynamodb:UpdateItem"), this.members.grant("dynamodb:PutItem"), this.api.grantManageConnections("POST", "DELETE")],
      unsubscribe: [this.table.grant("dynamodb:UpdateItem"), this.members.grant("dynamodb:DeleteItem"), this.api.grantManageConnections("POST", "DELETE")],
      // Query the channel's members only, prune those gone; the rest as sendmessage.
      publish: [
        this.table.grant("dynamodb:UpdateItem"),
        this.members.grant("dynamodb:Query", "dynamodb:DeleteItem"),
        this.api.grantManageConnections("POST", "DELETE"),
        this.fanout.grantSend(),
      ],
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
            channelsClaim: config.auth.channelsClaim,
            logRetentionDays: config.logRetentionDays,
          })
        : undefined;
    const rateEnvironment = messageRateEnvironment(config.messageRate);
    // What differs per route besides permissions: sendmessage's splitting, the message routes' rate settings, $connect's authorizer.
    const channels = { ...environment, ...channelEnvironment, ...rateEnvironment };
    const environments: Partial<Record<RouteKey, Record<string, string>>> = {
      [SEND_MESSAGE_ACTION]: { ...environment, ...this.fanout.senderEnvironment, ...rateEnvironment },
      $default: { ...environment, ...rateEnvironment },
      $disconnect: { ...environment, [SETTINGS_ENV.membersTable]: this.members.table.name },
      [CHANNEL_ACTIONS.subscribe]: channels,
      [CHANNEL_ACTIONS.unsubscribe]: channels,
      [CHANNEL_ACTIONS.publish]: { ...channels, ...this.fanout.senderEnvironment },
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
