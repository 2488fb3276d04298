import { resolve } from "node:path";
import type { Apigatewayv2Authorizer } from "@cdktf/provider-aws/lib/apigatewayv2-authorizer";
import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Annotations, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { SEND_MESSAGE_ACTION } from "../../lambdas/chat/messages";
import { MESSAGE_RATE_ENV } from "../../lambdas/contract/rate-settings";
import { AUTHORIZER_ENTRY, CHAT_ROUTES, type ChatRoute, FANOUT_WORKER_ENTRY, type RouteKey } from "../../lambdas/contract/routes";
import { SETTINGS_ENV } from "../../lambdas/contract/settings";
import { METRICS_DEPLOYMENT_ENV } from "../../lambdas/contract/telemetry";
import { AlarmTopic } from "../monitoring/alarm-topic";
import { ChatAlarms } from "../monitoring/alarms";
import { AliasRecords } from "../front-door/alias-records";
import { ApiCustomDomain } from "../front-door/api-custom-domain";
import { ApiGatewayLoggingRole } from "../chat/api-gateway-logging-role";
import { CLOUDFRONT_CERTIFICATE_REGION } from "../front-door/aws-regions";
import { configureBackend } from "./state-backend";
import { Certificates } from "../front-door/certificates";
import { ChatFunction } from "../functions/chat-function";
import { EXAMPLE_DOMAIN, STACK_TAGS, type Config } from "../config/config";
import { ConnectAuthorizer } from "../access/connect-authorizer";
import { ConnectionsTable } from "../chat/connections-table";
import { OperationsDashboard } from "../monitoring/dashboard";
import { Distribution } from "../front-door/distribution";
import { EdgeWebAcl } from "../access/edge-web-acl";
import { Fanout } from "../fanout/fanout";
import { bundleHandlers } from "../functions/lambda-bundle";
import { physicalName } from "../chat/names";
import { pageSettingsFile } from "../chat/page-settings";
import { PROJECT_ROOT } from "../functions/project-root";
import { SiteBucket } from "../front-door/site-bucket";
import { listSiteFiles, type SiteListing } from "../front-door/site-files";
import { WebSocketApi } from "../chat/websocket-api";


export interface ChatStackProps {
  /** Validated configuration (see `loadConfig`). */
  readonly config: Config;
  /** The site folder's files, as `loadDeployment` listed and checked them. @default - `config.siteDir` listed from the project root */
  readonly site?: SiteListing;
}

/**
 * The whole system of DESIGN.md: Route 53 -> CloudFront -> (S3 site | WebSocket API ->
 * Lambda -> DynamoDB), with the API's custom domain so that @connections works through CloudFront.
 */
export class ChatStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: ChatStackProps) {
    super(scope, id);
    const { config } = props;
    const name = (purpose: string) => physicalName(config.namePrefix, purpose);
    const defaultTags = [{ tags: { ...STACK_TAGS, ...config.tags } }];

    if (config.domainName === EXAMPLE_DOMAIN.domainName) {
      Annotations.of(this).addWarning(
        `Synthesized for the example domain ${EXAMPLE_DOMAIN.domainName}: it plans but cannot be deployed (npm run deploy refuses it). ` +
          "Copy wscf.config.example.json to wscf.config.json and set your domain to deploy.",
      );
    }
    configureBackend(this, config.backend, id, config.region);
    const regional = new AwsProvider(this, "aws", { region: config.region, defaultTags });
    const apiInUsEast1 = config.region === CLOUDFRONT_CERTIFICATE_REGION;
    const usEast1 = apiInUsEast1
      ? regional
      : new AwsProvider(this, "aws-us-east-1", { alias: "us_east_1", region: CLOUDFRONT_CERTIFICATE_REGION, defaultTags });

    const certificates = new Certificates(this, "certificates", {
      domainName: config.domainName,
      hostedZoneId: config.hostedZoneId,
      cloudFrontProvider: usEast1,
      regionalProvider: apiInUsEast1 ? undefined : regional,
    });

    const connections = new ConnectionsTable(this, "connections", { tableName: name("connections") });
    // Execution logging needs the account's CloudWatch role: set it here, or trust the account's own.
    const loggingRole =
      config.apiGatewayLogsRole === "create" ? new ApiGatewayLoggingRole(this, "api-gateway-logging", { roleName: name("apigw-logs") }) : undefined;
    // R2: fronting the custom domain, CloudFront is the only way in; the default endpoint is off.
    const originIsCustomDomain = config.apiOrigin === "custom-domain";
    const api = new WebSocketApi(this, "websocket-api", {
      apiName: name("chat"),
      region: config.region,
      stageName: config.stageName,
      throttling: config.throttling,
      logRetentionDays: config.logRetentionDays,
      disableDefaultEndpoint: originIsCustomDomain,
      stageDependsOn: loggingRole ? [loggingRole.account] : [],
    });

    // R10: the handlers call @connections at the CloudFront hostname + mapping key.
    const managementEndpoint = `https://${config.domainName}/${config.mappingKey}`;
    const environment = {
      [SETTINGS_ENV.tableName]: connections.table.name,
      [SETTINGS_ENV.managementEndpoint]: managementEndpoint,
      [SETTINGS_ENV.fanoutConcurrency]: String(config.fanoutConcurrency),
      // The chat metrics' deployment dimension, which the alarms and the dashboard match.
      [METRICS_DEPLOYMENT_ENV]: config.namePrefix,
    };
    const routes = Object.entries(CHAT_ROUTES) as Array<[RouteKey, ChatRoute]>;
    // Every handler in ONE esbuild call: the routes', the fan-out worker's and, with auth, the authorizer's.
    const entries = [...routes.map(([, { entry }]) => entry), FANOUT_WORKER_ENTRY, ...(config.auth.type === "jwt" ? [AUTHORIZER_ENTRY] : [])];
    const bundles = bundleHandlers(Object.fromEntries(entries.map((entry) => [entry, resolve(PROJECT_ROOT, "lambdas", `${entry}.ts`)])));

    // Issue 10: broadcasts above the inline limit are split over the fan-out queue and its worker.
    const fanout = new Fanout(this, "fanout", {
      config: config.fanout,
      name: name("fanout"),
      chatEnvironment: environment,
      workerStatements: [connections.grant("dynamodb:Scan", "dynamodb:DeleteItem"), api.grantManageConnections("POST")],
      logRetentionDays: config.logRetentionDays,
      bundle: bundles[FANOUT_WORKER_ENTRY],
    });
    // What each route's function may do besides writing its own logs (least privilege, per route).
    const permissions: Record<RouteKey, DataAwsIamPolicyDocumentStatement[]> = {
      $connect: [connections.grant("dynamodb:PutItem")],
      $disconnect: [connections.grant("dynamodb:DeleteItem")],
      // UpdateItem: the sender's message token bucket, kept on its row (issue 11).
      sendmessage: [connections.grant("dynamodb:Scan", "dynamodb:DeleteItem", "dynamodb:UpdateItem"), api.grantManageConnections("POST"), fanout.grantSend()],
      $default: [api.grantManageConnections("POST")],
    };

    // Issue 11: who may connect and how fast one connection may send. The authorizer guards
    // $connect only (API Gateway runs authorizers on no other WebSocket route); the token bucket
    // is sendmessage's; the web ACL sits on the distribution, in us-east-1.
    const authorizer =
      config.auth.type === "jwt"
        ? new ConnectAuthorizer(this, "connect-authorizer", {
            api,
            functionName: name(AUTHORIZER_ENTRY),
            bundle: bundles[AUTHORIZER_ENTRY],
            issuer: config.auth.issuer,
            audience: config.auth.audience,
            jwksUri: config.auth.jwksUri,
            logRetentionDays: config.logRetentionDays,
          })
        : undefined;
    const messageRateEnvironment = {
      [MESSAGE_RATE_ENV.perSecond]: String(config.messageRate.perSecond),
      [MESSAGE_RATE_ENV.burst]: String(config.messageRate.burst),
    };
    // What differs per route besides permissions: sendmessage's splitting and rate settings, $connect's authorizer.
    const environments: Partial<Record<RouteKey, Record<string, string>>> = {
      [SEND_MESSAGE_ACTION]: { ...environment, ...fanout.senderEnvironment, ...messageRateEnvironment },
    };
    const authorizers: Partial<Record<RouteKey, Apigatewayv2Authorizer>> = { $connect: authorizer?.authorizer };
    const webAcl = config.waf.enabled
      ? new EdgeWebAcl(this, "web-acl", {
          name: name("edge"),
          provider: usEast1,
          rateLimit: config.waf.rateLimit,
          managementPathPrefix: `/${config.mappingKey}/@connections`,
        })
      : undefined;

    // The functions that get errors and throttles alarms, by purpose.
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
      api.addRoute(routeKey, fn.function, authorizers[routeKey]);
      functions[entry] = fn;
    }
    functions.fanout = fanout.worker.worker;
    const logGroups: Record<string, string> = {
      access: api.accessLogGroup.name,
      execution: api.executionLogGroup.name,
      ...Object.fromEntries(Object.entries(functions).map(([purpose, fn]) => [purpose, fn.logGroup.name])),
      ...(authorizer ? { [AUTHORIZER_ENTRY]: authorizer.function.logGroup.name } : {}),
    };
    const lambdas = Object.fromEntries(Object.entries(functions).map(([purpose, fn]) => [purpose, fn.function]));

    const customDomain = new ApiCustomDomain(this, "api-custom-domain", {
      domainName: config.domainName,
      certificateArn: certificates.regionalCertificateArn,
      stage: api.stage,
      mappingKey: config.mappingKey,
    });

    const site = new SiteBucket(this, "site", {
      bucketPrefix: `${name("site")}-`,
      site: props.site ?? listSiteFiles(resolve(PROJECT_ROOT, config.siteDir)),
      generated: [pageSettingsFile({ websocketPath: config.mappingKey })],
    });
    const cdn = new Distribution(this, "cdn", {
      domainName: config.domainName,
      certificateArn: certificates.cloudFrontCertificateArn,
      site,
      apiOriginHostname: originIsCustomDomain ? customDomain.targetHostname : api.defaultHostname,
      pathPattern: config.pathPattern,
      allowPlainWs: config.allowPlainWs,
      originDependsOn: [customDomain.mapping],
      webAclArn: webAcl?.webAcl.arn,
    });
    site.allowDistribution(cdn.distribution);

    new AliasRecords(this, "alias-records", {
      domainName: config.domainName,
      hostedZoneId: config.hostedZoneId,
      distribution: cdn.distribution,
    });

    // Alarms and dashboard: an alarm notifies a topic in its own region, so CloudFront's alarm
    // (its metrics live in us-east-1) gets a topic there unless the API's region is us-east-1.
    const alarmTopic = new AlarmTopic(this, "alarm-topic", { topicName: name("alarms"), provider: regional, email: config.alarmEmail });
    const cloudFrontAlarmTopic = apiInUsEast1
      ? alarmTopic
      : new AlarmTopic(this, "alarm-topic-us-east-1", { topicName: name("alarms"), provider: usEast1, email: config.alarmEmail });
    new ChatAlarms(this, "alarms", {
      namePrefix: config.namePrefix,
      topic: alarmTopic.topic,
      functions: lambdas,
      api,
      cloudFront: { distribution: cdn.distribution, provider: usEast1, topic: cloudFrontAlarmTopic.topic },
      fanoutQueue: fanout.queue,
      // A job lives through its worker's run: one that outlived two worker timeouts waited or was retried.
      oldestJobAgeSeconds: 2 * config.fanout.workerTimeoutSeconds,
      deployment: config.namePrefix,
    });
    const dashboard = new OperationsDashboard(this, "dashboard", {
      dashboardName: physicalName(config.namePrefix, id),
      region: config.region,
      functions: lambdas,
      api,
      distribution: cdn.distribution,
      fanoutQueue: fanout.queue,
      deployment: config.namePrefix,
    });

    const outputs: Record<string, { value: string | Record<string, string>; description: string }> = {
      site_url: { value: `https://${config.domainName}/`, description: "The static site (R1), served from S3 through CloudFront" },
      websocket_url: {
        value: `wss://${config.domainName}/${config.mappingKey}`,
        description: `WebSocket endpoint through CloudFront (R1); wscat -c <this>${config.allowPlainWs ? " (plain ws:// is accepted too: allowPlainWs)" : ""}`,
      },
      management_endpoint: {
        value: managementEndpoint,
        description: "@connections API endpoint through CloudFront (R10, R11), for the SDK's ApiGatewayManagementApiClient",
      },
      distribution_id: { value: cdn.distribution.id, description: "CloudFront distribution id (for invalidations)" },
      distribution_domain_name: { value: cdn.distribution.domainName, description: "CloudFront's own *.cloudfront.net hostname" },
      api_id: { value: api.api.id, description: "API Gateway WebSocket API id" },
      region: { value: config.region, description: "Region of the API, the functions and the table" },
      connections_table_name: { value: connections.table.name, description: "DynamoDB table of open connection ids" },
      site_bucket_name: { value: site.bucket.bucket, description: "S3 bucket that holds the site files" },
      fanout_dead_letter_queue_url: {
        value: fanout.queue.deadLetterQueue.url,
        description: "SQS dead-letter queue of fan-out jobs that kept failing (its ApproximateNumberOfMessagesVisible counts them)",
      },
      log_groups: {
        value: logGroups,
        description: "CloudWatch log groups: the API's access and execution logs, and each function's (aws logs tail <name> --follow)",
      },
    };
    if (originIsCustomDomain) {
      outputs.api_default_endpoint = {
        value: `wss://${api.defaultHostname}/${config.stageName}`,
        description: "The API's default endpoint, DISABLED so that clients go through CloudFront (npm run smoke checks that it refuses)",
      };
    }
    outputs.dashboard_url = { value: dashboard.url, description: "CloudWatch dashboard: broadcasts, connections and messages, errors, durations, CloudFront 5xx" };
    outputs.alarm_topic_arns = {
      // One entry when the API's region is us-east-1: both keys name the same topic.
      value: { [CLOUDFRONT_CERTIFICATE_REGION]: cloudFrontAlarmTopic.topic.arn, [config.region]: alarmTopic.topic.arn },
      description: "SNS topics the alarms notify, by region (KMS-encrypted; subscribe with aws sns subscribe --topic-arn <arn> --protocol email …)",
    };
    for (const [outputId, output] of Object.entries(outputs)) new TerraformOutput(this, outputId, output);
  }
}
