import { resolve } from "node:path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Annotations, TerraformElement, TerraformOutput, TerraformStack } from "cdktf";
// The hashing that TerraformStack.allocateLogicalId uses by default (cdktf 0.21 exports it only here).
import { makeUniqueId } from "cdktf/lib/private/unique";
import type { Construct, Node } from "constructs";
import { EdgeWebAcl } from "../access/edge-web-acl";
import { awsStringProblems } from "../aws/string-rules";
import { CHANNEL_ACTIONS } from "../../lambdas/contract/channels";
import { ChatBackend } from "../chat/chat-backend";
import { physicalName } from "../chat/names";
import { pageSettingsFile } from "../config/page-settings";
import { EXAMPLE_DOMAIN, STACK_TAGS, type Config } from "../config/config";
import { CLOUDFRONT_CERTIFICATE_REGION } from "../front-door/aws-regions";
import { listSiteFiles, type SiteListing } from "../front-door/site-files";
import { managementEndpointOf, WebSocketCloudFront } from "../front-door/websocket-cloudfront";
import { PROJECT_ROOT } from "../functions/project-root";
import { ChatMonitoring } from "../monitoring/chat-monitoring";
import { configureBackend } from "./state-backend";

/**
 * Construct ids that group the stack's parts (front door, chat backend, monitoring) but are left
 * out of its Terraform addresses: each resource keeps the address it has when the stack composes
 * it directly, which is what existing deployments hold. A new address would make Terraform destroy
 * the resource and create a new one: a table without its connections, a distribution with a new
 * domain name. __tests__/stack-addresses.test.ts pins them.
 */
const UNADDRESSED_SCOPES: ReadonlySet<string> = new Set(["chat", "front-door", "monitoring"]);

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
  /** Logical ids handed out, with the construct path each belongs to: two paths must never share one. */
  private readonly allocated = new Map<string, string>();

  constructor(scope: Construct, id: string, props: ChatStackProps) {
    super(scope, id);
    const { config } = props;
    const name = (purpose: string) => physicalName(config.namePrefix, purpose);
    const originIsCustomDomain = config.apiOrigin === "custom-domain";
    const defaultTags = [{ tags: { ...STACK_TAGS, ...config.tags } }];

    if (config.domainName === EXAMPLE_DOMAIN.domainName) {
      Annotations.of(this).addWarning(
        `Synthesized for the example domain ${EXAMPLE_DOMAIN.domainName}: it plans but cannot be deployed (npm run deploy refuses it). ` +
          "Copy wscf.config.example.json to wscf.config.json and set your domain to deploy.",
      );
    }
    configureBackend(this, config.backend, id, config.region);
    const regional = new AwsProvider(this, "aws", { region: config.region, defaultTags });
    const usEast1 =
      config.region === CLOUDFRONT_CERTIFICATE_REGION
        ? regional
        : new AwsProvider(this, "aws-us-east-1", { alias: "us_east_1", region: CLOUDFRONT_CERTIFICATE_REGION, defaultTags });

    // R10: the handlers call @connections at the CloudFront hostname + mapping key.
    const managementEndpoint = managementEndpointOf(config.domainName, config.mappingKey);
    const chat = new ChatBackend(this, "chat", { config, managementEndpoint });
    // The web ACL sits on the distribution, so it lives in us-east-1 with CLOUDFRONT scope.
    const webAcl = config.waf.enabled
      ? new EdgeWebAcl(this, "web-acl", {
          name: name("edge"),
          provider: usEast1,
          rateLimit: config.waf.rateLimit,
          managementPathPrefix: `/${config.mappingKey}/@connections`,
        })
      : undefined;
    const frontDoor = new WebSocketCloudFront(this, "front-door", {
      domainName: config.domainName,
      hostedZone: { zoneId: config.hostedZoneId, name: config.hostedZoneName },
      api: chat.api.api,
      stage: chat.api.stage,
      providers: { api: regional, usEast1: usEast1 === regional ? undefined : usEast1 },
      socketPath: config.mappingKey,
      pathPattern: config.pathPattern,
      site: { files: props.site ?? listSiteFiles(resolve(PROJECT_ROOT, config.siteDir)), generated: [pageSettingsFile({ websocketPath: config.mappingKey })] },
      allowPlainWs: config.allowPlainWs,
      webAclArn: webAcl?.webAcl.arn,
      apiOrigin: config.apiOrigin,
      namePrefix: config.namePrefix,
    });
    const monitoring = new ChatMonitoring(this, "monitoring", {
      namePrefix: config.namePrefix,
      dashboardName: physicalName(config.namePrefix, id),
      region: config.region,
      providers: { regional, usEast1 },
      email: config.alarmEmail,
      functions: chat.functions,
      api: chat.api,
      distribution: frontDoor.distribution,
      fanoutQueue: chat.fanout.queue,
      workerTimeoutSeconds: config.fanout.workerTimeoutSeconds,
    });

    const outputs: Record<string, { value: string | Record<string, string>; description: string }> = {
      site_url: { value: frontDoor.url, description: "The static site (R1), served from S3 through CloudFront" },
      websocket_url: {
        value: frontDoor.websocketUrl,
        description: `WebSocket endpoint through CloudFront (R1); wscat -c <this>${config.allowPlainWs ? " (plain ws:// is accepted too: allowPlainWs)" : ""}`,
      },
      management_endpoint: {
        value: frontDoor.managementEndpoint,
        description: "@connections API endpoint through CloudFront (R10, R11), for the SDK's ApiGatewayManagementApiClient",
      },
      distribution_id: { value: frontDoor.distribution.id, description: "CloudFront distribution id (for invalidations)" },
      distribution_domain_name: { value: frontDoor.distribution.domainName, description: "CloudFront's own *.cloudfront.net hostname" },
      api_id: { value: chat.api.api.id, description: "API Gateway WebSocket API id" },
      region: { value: config.region, description: "Region of the API, the functions and the table" },
      // A backend publishes to a channel by invoking this function (lambdas/README.md, "Server-side publish").
      publish_function_name: {
        value: chat.functions[CHANNEL_ACTIONS.publish].functionName,
        description: 'Lambda function a backend invokes to publish to a channel: payload {"channel":"room/a","data":"hello"} (npm run publish)',
      },
      publish_function_arn: {
        value: chat.functions[CHANNEL_ACTIONS.publish].arn,
        description: "ARN of the publish function: grant a backend lambda:InvokeFunction on exactly this ARN",
      },
      connections_table_name: { value: chat.table.table.name, description: "DynamoDB table of open connection ids" },
      site_bucket_name: { value: frontDoor.site!.bucket.bucket, description: "S3 bucket that holds the site files" },
      fanout_dead_letter_queue_url: {
        value: chat.fanout.queue.deadLetterQueue.url,
        description: "SQS dead-letter queue of fan-out jobs that kept failing (its ApproximateNumberOfMessagesVisible counts them)",
      },
      log_groups: {
        value: chat.logGroups,
        description: "CloudWatch log groups: the API's access and execution logs, and each function's (aws logs tail <name> --follow)",
      },
    };
    if (originIsCustomDomain) {
      outputs.api_default_endpoint = {
        value: `wss://${chat.api.defaultHostname}/${config.stageName}`,
        description: "The API's default endpoint, DISABLED so that clients go through CloudFront (npm run smoke checks that it refuses)",
      };
    }
    outputs.dashboard_url = {
      value: monitoring.dashboardUrl,
      description: "CloudWatch dashboard: broadcasts, connections and messages, errors, durations, CloudFront 5xx",
    };
    outputs.alarm_topic_arns = {
      // One entry when the API's region is us-east-1: both keys name the same topic.
      value: monitoring.topicArns,
      description: "SNS topics the alarms notify, by region (KMS-encrypted; subscribe with aws sns subscribe --topic-arn <arn> --protocol email …)",
    };
    for (const [outputId, output] of Object.entries(outputs)) new TerraformOutput(this, outputId, output);

    // The provider checks few of the names and descriptions AWS constrains: a bad one would pass
    // plan and fail half-way through an apply, so synth refuses it, naming the field and the rule.
    this.node.addValidation({
      validate: () => awsStringProblems(this.toTerraform()).map(({ field, value, problem }) => `${field} ${problem}; got ${JSON.stringify(value)}`),
    });
  }

  protected override allocateLogicalId(element: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(element) ? element.node : element;
    const scopes = node.scopes.slice(node.scopes.indexOf(this) + 1);
    const components = scopes.filter((scope, i) => i === scopes.length - 1 || !UNADDRESSED_SCOPES.has(scope.node.id)).map((scope) => scope.node.id);
    const id = makeUniqueId(components);
    const owner = this.allocated.get(id);
    if (owner !== undefined && owner !== node.path) throw new Error(`${node.path} and ${owner} would share the Terraform address ${id}: rename one`);
    this.allocated.set(id, node.path);
    return id;
  }
}
