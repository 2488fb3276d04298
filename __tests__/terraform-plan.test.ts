import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  cdktf,
  cliConfigFile,
  type Diagnostic,
  readPlanStream,
  runNpm,
  offlineCdktfProject,
  requireTerraform,
  stopCommandsLeftRunning,
  synthesizeIntoRoot,
  terraform,
} from "./support/terraform";
import { AUTH_WAF_EMAIL_ENV, OWN_DOMAIN_ENV as OWN_DOMAIN } from "./support/config-fixtures";

/** One S3 object per site file; everything else is fixed. */
const SITE_FILES = readdirSync(join(__dirname, "..", "site"), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
// 54 for the edge stack and chat backend, + 1 generated settings.json object, + 7 for the fan-out:
// jobs queue, dead-letter queue, the worker's function, role, role policy and log group, and its
// SQS event source mapping; + 27 for alarms and dashboard: per region (the API's and
// us-east-1) a KMS key, its alias and policy, the topic and its policy; 14 alarms (errors and
// throttles of 5 functions, broadcast failures, API integration and execution errors, dead letters,
// oldest job's age, CloudFront 5xx); one dashboard; + 28 for channels: the members table, and per
// channel route (subscribe, unsubscribe, publish) its function, role, role policy, log group,
// integration, route, invoke permission and errors and throttles alarms.
const FIXED_RESOURCES = 117;
/** The alarm topics of ap-northeast-1 and us-east-1: key, alias, key policy, topic, topic policy. */
const ALARM_TOPIC_RESOURCES = 5;

interface PlannedResource {
  address: string;
  mode: string;
  type: string;
  provider_name: string;
  values: Record<string, any>;
}

/** What one configuration's part of the shared plan gives its tests. */
interface VariantPlan {
  /** The synthesized stack JSON, as the app wrote it. */
  synthesized: TerraformJson;
  /** What the plan said of this configuration: its diagnostics (each once), and how many were errors. */
  validation: { valid: boolean; error_count: number; diagnostics: Diagnostic[] };
  /** The plan's changes to this configuration's resources. */
  plan: { resource_changes: Array<{ mode: string; change: { actions: string[] } }> };
  resources: PlannedResource[];
  providers: Record<string, string>;
}

type TerraformJson = Record<string, any>;

/**
 * Synthesizes each configuration (side by side), copies each into an offline working folder, and
 * has Terraform judge them all in one run with the real hashicorp/aws 5.100.0 provider, offline:
 * each stack is a module of one root (a synthesized stack is a complete configuration, its own
 * providers included), so one init, one plan and one `show` (each a start of the 700 MB provider
 * and a load of its schema) serve every configuration. The plan validates first, as `terraform
 * validate` does, and its machine-readable stream carries that walk's diagnostics: a separate
 * `validate` would load the schema and start every provider once more for the same findings.
 */
async function planAll<K extends string>(variants: Record<K, Record<string, string>>, cliConfig: string): Promise<Record<K, VariantPlan>> {
  const names = Object.keys(variants) as K[];
  const { root, synthesized } = await synthesizeIntoRoot(variants, "wscf-plans-");
  const modules = Object.fromEntries(names.map((name) => [name, { source: `./${name}` }]));
  writeFileSync(join(root, "main.tf.json"), JSON.stringify({ module: modules }, null, 2));
  await terraform(root, cliConfig, "init", "-input=false", "-no-color");
  const { diagnostics } = readPlanStream(await terraform(root, cliConfig, "plan", "-input=false", "-no-color", "-lock=false", "-json", "-out=plan.tfplan"));
  const plan = JSON.parse(await terraform(root, cliConfig, "show", "-json", "plan.tfplan"));
  const providers = JSON.parse(await terraform(root, cliConfig, "version", "-json")).provider_selections;
  const entries = names.map((name): [K, VariantPlan] => {
    const address = `module.${name}`;
    const child = plan.planned_values.root_module.child_modules.find((m: { address: string }) => m.address === address);
    const inModule = (d: Diagnostic) => d.range !== undefined && resolve(root, d.range.filename).startsWith(`${join(root, name)}/`);
    const own = diagnostics.filter(inModule);
    const errors = own.filter((d) => d.severity === "error").length;
    return [
      name,
      {
        synthesized: synthesized[name],
        validation: { valid: errors === 0, error_count: errors, diagnostics: own },
        plan: { resource_changes: plan.resource_changes.filter((c: { module_address?: string }) => c.module_address === address) },
        resources: (child?.resources ?? []).filter((r: { mode: string }) => r.mode === "managed"),
        providers,
      },
    ];
  });
  return Object.fromEntries(entries) as Record<K, VariantPlan>;
}

const byType = (resources: PlannedResource[], type: string) => resources.filter((r) => r.type === type);

// Minutes on a quiet 2-core machine; several times that when CI runs two suites beside each other on it.
jest.setTimeout(600_000);
afterAll(stopCommandsLeftRunning);

describe("Terraform judges the synthesized JSON (plan, which validates first; hashicorp/aws 5.100.0, offline)", () => {
  requireTerraform();
  const cliConfig = cliConfigFile();
  // Options that touch different resources share a configuration: each test below reads its own part of the plan.
  const all = planAll(
    {
      defaults: {},
      // us-east-1 (one provider, one certificate) with the source document's origin, the account's
      // existing logging role, plain ws and the S3 backend: none of these touch the same resources.
      usEast1SeedOriginPlainWsS3: {
        ...OWN_DOMAIN,
        WSCF_REGION: "us-east-1",
        WSCF_API_ORIGIN: "execute-api",
        WSCF_API_GATEWAY_LOGS_ROLE: "existing",
        WSCF_ALLOW_PLAIN_WS: "true",
        WSCF_BACKEND: "s3",
        WSCF_BACKEND_BUCKET: "my-tf-state",
      },
      authWafEmail: AUTH_WAF_EMAIL_ENV,
    },
    cliConfig,
  );
  const plans = {
    defaults: all.then((p) => p.defaults),
    usEast1SeedOriginPlainWsS3: all.then((p) => p.usEast1SeedOriginPlainWsS3),
    authWafEmail: all.then((p) => p.authWafEmail),
  };
  const cdktfProject = offlineCdktfProject();
  // The cdktf CLI's own path; --skip-provider-lock: `terraform providers lock` needs the registry.
  const cdktfDiff = cdktf(cdktfProject, cliConfig, "diff", "websocket-cloudfront", "--skip-provider-lock", "--output", join(cdktfProject, "cdktf.out"));
  cdktfDiff.catch(() => undefined);
  // The README's command, as a user runs it.
  const planOffline = runNpm("plan:offline");
  planOffline.catch(() => undefined);
  // Keep the other plans' rejections from surfacing as unhandled while one test awaits its own.
  all.catch(() => undefined);
  for (const p of Object.values(plans)) p.catch(() => undefined);

  test("default config: valid, plans only creates with the real provider 5.100.0", async () => {
    const { validation, plan, resources, providers } = await plans.defaults;
    expect(validation).toMatchObject({ valid: true, error_count: 0 });
    // The one warning: reset_on_delete is deprecated in 5.x because 6.x always resets on destroy,
    // which is the behaviour we ask for now (src/chat/api-gateway-logging-role.ts).
    expect(validation.diagnostics.map((d) => `${d.summary}: ${d.detail}`)).toEqual([
      'Attribute Deprecated: The "reset_on_delete" attribute will be removed in a future version of the provider',
    ]);
    expect(providers).toEqual({ "registry.terraform.io/hashicorp/aws": "5.100.0" });
    const actions = plan.resource_changes
      .filter((c: { mode: string }) => c.mode === "managed")
      .map((c: { change: { actions: string[] } }) => c.change.actions.join());
    expect(new Set(actions)).toEqual(new Set(["create"]));
    expect(resources.length).toBe(FIXED_RESOURCES + SITE_FILES);
    expect(byType(resources, "aws_acm_certificate")).toHaveLength(2);
    expect(byType(resources, "aws_sns_topic_subscription")).toHaveLength(0);
    expect(byType(resources, "aws_cloudwatch_metric_alarm")).toHaveLength(22);
    expect(byType(resources, "aws_kms_key").map((k) => k.values.enable_key_rotation)).toEqual([true, true]);
    expect(byType(resources, "aws_apigatewayv2_api")[0].values.disable_execute_api_endpoint).toBe(true);
    expect(byType(resources, "aws_api_gateway_account")[0].values.reset_on_delete).toBe(true);
    const [distribution] = byType(resources, "aws_cloudfront_distribution");
    expect(distribution.values.ordered_cache_behavior[0]).toMatchObject({
      path_pattern: "websocket*",
      viewer_protocol_policy: "https-only",
      min_ttl: 0,
      default_ttl: 0,
      max_ttl: 0,
    });
  });

  test("region us-east-1: plans one certificate serving CloudFront and the API", async () => {
    const { resources, synthesized } = await plans.usEast1SeedOriginPlainWsS3;
    expect(byType(resources, "aws_acm_certificate")).toHaveLength(1);
    expect(byType(resources, "aws_acm_certificate_validation")).toHaveLength(1);
    expect(synthesized.provider.aws).toEqual([expect.objectContaining({ region: "us-east-1" })]);
    // One certificate and one validation fewer; one alarm topic serves the API's alarms and CloudFront's;
    // the existing logging role: no role, attachment or account setting. Plain ws and the backend add none.
    expect(resources.length).toBe(FIXED_RESOURCES - 2 - ALARM_TOPIC_RESOURCES - 3 + SITE_FILES);
  });

  test("plain ws opted in with the S3 backend: viewer policy allow-all, locked and encrypted state in the stack's region", async () => {
    const { resources, synthesized } = await plans.usEast1SeedOriginPlainWsS3;
    expect(synthesized.terraform.backend.s3).toEqual({
      bucket: "my-tf-state",
      key: "websocket-cloudfront/terraform.tfstate",
      region: "us-east-1",
      encrypt: true,
      use_lockfile: true,
    });
    const [distribution] = byType(resources, "aws_cloudfront_distribution");
    expect(distribution.values.ordered_cache_behavior[0].viewer_protocol_policy).toBe("allow-all");
    expect(distribution.values.default_cache_behavior[0].viewer_protocol_policy).toBe("redirect-to-https");
  });

  test("the source document's origin with the account's existing logging role: default endpoint on, no account setting", async () => {
    const { resources, synthesized } = await plans.usEast1SeedOriginPlainWsS3;
    const distribution = Object.values(synthesized.resource.aws_cloudfront_distribution)[0] as { origin: Array<{ domain_name: string }> };
    expect(distribution.origin.map((o) => o.domain_name).join()).toMatch(/\$\{trimprefix\(aws_apigatewayv2_api\.\S+\.api_endpoint, "wss:\/\/"\)\}/);
    expect(byType(resources, "aws_apigatewayv2_api")[0].values.disable_execute_api_endpoint).toBe(false);
    expect(byType(resources, "aws_api_gateway_account")).toHaveLength(0);
    // Nor the logging role or its policy attachment (the other roles' policies are inline).
    expect(byType(resources, "aws_iam_role").map((r) => r.values.name)).not.toContain("wscf-apigw-logs");
    expect(byType(resources, "aws_iam_role_policy_attachment")).toHaveLength(0);
  });

  test("alarm e-mail configured: one e-mail subscription on each region's alarm topic", async () => {
    const { resources } = await plans.authWafEmail;
    const subscriptions = byType(resources, "aws_sns_topic_subscription");
    expect(subscriptions.map((s) => s.values)).toEqual([
      expect.objectContaining({ protocol: "email", endpoint: "ops@example.org" }),
      expect.objectContaining({ protocol: "email", endpoint: "ops@example.org" }),
    ]);
  });

  test("auth and WAF on: plans the authorizer on $connect and the web ACL in us-east-1 on the distribution", async () => {
    const { resources } = await plans.authWafEmail;
    expect(byType(resources, "aws_apigatewayv2_authorizer")[0].values).toMatchObject({
      authorizer_type: "REQUEST",
      identity_sources: ["route.request.header.Sec-WebSocket-Protocol"],
    });
    const [acl] = byType(resources, "aws_wafv2_web_acl");
    expect(acl).toMatchObject({ provider_name: "registry.terraform.io/hashicorp/aws", values: { scope: "CLOUDFRONT" } });
    expect(acl.values.rule.map((r: { name: string }) => r.name)).toEqual(["rate-per-ip", "ip-reputation"]);
    // + the authorizer, its function, role, role policy, log group and invoke permission; + the web ACL; + 2 e-mail subscriptions.
    expect(resources.length).toBe(FIXED_RESOURCES + 6 + 1 + 2 + SITE_FILES);
  });

  test("npm run plan:offline synthesizes and prints Terraform's plan", async () => {
    const output = await planOffline;
    expect(output).toMatch(new RegExp(`Plan: ${FIXED_RESOURCES + SITE_FILES} to add, 0 to change, 0 to destroy`));
  });

  test("cdktf diff, the path of cdktf deploy up to the plan, synthesizes with our app and plans offline", async () => {
    const output = await cdktfDiff;
    expect(output).toMatch(new RegExp(`Plan: ${FIXED_RESOURCES + SITE_FILES} to add, 0 to change, 0 to destroy`));
    const stackDir = join(cdktfProject, "cdktf.out", "stacks", "websocket-cloudfront");
    expect(existsSync(join(stackDir, ".terraform", "providers", "registry.terraform.io", "hashicorp", "aws", "5.100.0"))).toBe(true);
  });
});
