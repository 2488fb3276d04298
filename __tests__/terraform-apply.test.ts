import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cliConfigFile, requireTerraform, stopCommandsLeftRunning, synthesizeIntoRoot, terraform } from "./support/terraform";
import { AUTH_WAF_EMAIL_ENV } from "./support/config-fixtures";

// An apply of the whole graph, offline: Terraform's own `terraform test` with `mock_provider "aws"`
// and `command = apply` (DESIGN.md, toolchain facts). The mock's values (support/apply/aws.tfmock.hcl)
// stand in for what AWS computes; the assertions check what the stack wires from them.

/** What the mock answers (support/apply/aws.tfmock.hcl). */
const MOCK = {
  apiExecutionArn: "arn:aws:execute-api:ap-northeast-1:123456789012:a1b2c3d4e5",
  stageExecutionArn: "arn:aws:execute-api:ap-northeast-1:123456789012:a1b2c3d4e5/Prod",
  customDomainTarget: "d-abc1234567.execute-api.ap-northeast-1.amazonaws.com",
  distributionDomain: "d111111abcdef8.cloudfront.net",
  cloudFrontZoneId: "Z2FDTNDATAQYW2",
} as const;

type TerraformJson = Record<string, any>;

/** An HCL string literal (JSON's escapes, and Terraform's template sequences kept literal). */
const hcl = (value: string) => JSON.stringify(value).replace(/\$\{/g, "$${").replace(/%\{/g, "%%{");

/** `<type>.<logical id>` of the one element of `type` whose construct path ends with `pathSuffix`. */
function address(tf: TerraformJson, type: string, pathSuffix: string, block: "resource" | "data" = "resource"): string {
  const ids = Object.entries<Record<string, any>>(tf[block][type]).filter(([, body]) => body["//"].metadata.path.endsWith(`/${pathSuffix}`));
  if (ids.length !== 1) throw new Error(`expected one ${type} at */${pathSuffix}, found ${ids.length}`);
  return `${block === "data" ? "data." : ""}${type}.${ids[0][0]}`;
}

/** Every element of `type` in `block` whose synthesized body satisfies `pick`, as addresses. */
function addresses(tf: TerraformJson, type: string, pick: (body: any) => boolean, block: "resource" | "data" = "resource"): string[] {
  return Object.entries<any>(tf[block][type])
    .filter(([, body]) => pick(body))
    .map(([id]) => `${block === "data" ? "data." : ""}${type}.${id}`);
}

/** One applied run of the module in `./<name>`, whose assertions name the computed wiring that matters. */
function applyRun(name: string, tf: TerraformJson, expected: Expected): string {
  const distribution = address(tf, "aws_cloudfront_distribution", "cdn/distribution");
  const customDomain = address(tf, "aws_apigatewayv2_domain_name", "api-custom-domain/domain");
  const aliasRecords = ["A", "AAAA"].map((type) => address(tf, "aws_route53_record", `alias-records/${type}`));
  const withEndpoint = addresses(tf, "aws_lambda_function", (fn) => fn.environment.variables.MANAGEMENT_ENDPOINT !== undefined);
  const permissions = addresses(tf, "aws_lambda_permission", () => true);
  const grants = addresses(
    tf,
    "aws_iam_policy_document",
    (doc) => doc.statement.some((s: { actions: string[] }) => s.actions.includes("execute-api:ManageConnections")),
    "data",
  );
  const asserts: Array<[string, string]> = [
    [
      `one([for o in ${distribution}.origin : o.domain_name if o.origin_id == "websocket-api"]) == ${customDomain}.domain_name_configuration[0].target_domain_name`,
      "CloudFront's API origin is the custom domain's regional target (R2)",
    ],
    [
      `one([for o in ${distribution}.origin : o.domain_name if o.origin_id == "websocket-api"]) == ${hcl(MOCK.customDomainTarget)}`,
      "the origin is the target API Gateway computed",
    ],
    ...aliasRecords.flatMap(
      (record): Array<[string, string]> => [
        [`one(${record}.alias).name == ${hcl(MOCK.distributionDomain)}`, `${record} points at the distribution's domain name (R8)`],
        [`one(${record}.alias).zone_id == ${hcl(MOCK.cloudFrontZoneId)}`, `${record} uses CloudFront's hosted zone`],
      ],
    ),
    ...withEndpoint.map((fn): [string, string] => [
      `${fn}.environment[0].variables["MANAGEMENT_ENDPOINT"] == ${hcl(expected.managementEndpoint)}`,
      `${fn} calls @connections at https://<domain>/<mapping key> (R10)`,
    ]),
    [
      `toset([${permissions.map((p) => `${p}.source_arn`).join(", ")}]) == toset([${expected.permissionArns.map(hcl).join(", ")}])`,
      "API Gateway may invoke the functions for this API and stage only",
    ],
    [
      `toset(flatten([for d in [${grants.join(", ")}] : [for s in d.statement : s.resources if contains(s.actions, "execute-api:ManageConnections")]])) == toset([${["POST", "DELETE"].map((method) => hcl(`${MOCK.stageExecutionArn}/${method}/@connections/*`)).join(", ")}])`,
      // POST sends; DELETE closes a connection that keeps sending past its rate.
      "the @connections grants name this API's stage",
    ],
  ];
  const blocks = asserts.map(([condition, message]) => `  assert {\n    condition     = ${condition}\n    error_message = ${hcl(message)}\n  }`);
  return `run ${hcl(name)} {\n  command = apply\n  module {\n    source = ${hcl(`./${name}`)}\n  }\n\n${blocks.join("\n")}\n}\n`;
}

/** What one configuration's applied stack must be wired to. */
interface Expected {
  managementEndpoint: string;
  permissionArns: string[];
}

/**
 * Synthesizes each configuration (side by side), copies each stack into a folder of one root, and
 * applies them all with one `terraform test`: a run per stack, each with the stack as its module
 * (`module { source }`), so that one init and one load of the provider's schema serve every run.
 * The mocks (the test file's `mock_provider` blocks) stand in for both of each stack's providers.
 * Resolves with the test's output and each stack's synthesized JSON.
 */
async function mockApplyAll<K extends string>(variants: Record<K, { env: Record<string, string>; expected: Expected }>, cliConfig: string) {
  const names = Object.keys(variants) as K[];
  const envs = Object.fromEntries(names.map((name) => [name, variants[name].env])) as Record<K, Record<string, string>>;
  const { root, synthesized } = await synthesizeIntoRoot(envs, "wscf-apply-");
  // The root itself is empty: each run applies its own module.
  writeFileSync(join(root, "main.tf.json"), "{}\n");
  mkdirSync(join(root, "mocks"));
  copyFileSync(join(__dirname, "support", "apply", "aws.tfmock.hcl"), join(root, "mocks", "aws.tfmock.hcl"));
  const runs = names.map((name) => applyRun(name, synthesized[name], variants[name].expected));
  const mocks = [`mock_provider "aws" {\n  source = "./mocks"\n}`, `mock_provider "aws" {\n  alias  = "us_east_1"\n  source = "./mocks"\n}`];
  writeFileSync(join(root, "apply.tftest.hcl"), [...mocks, ...runs].join("\n\n"));
  await terraform(root, cliConfig, "init", "-input=false", "-no-color");
  const output = await terraform(root, cliConfig, "test", "-no-color");
  return { output, synthesized };
}

const ROUTE_ARNS = ["$connect", "$disconnect", "sendmessage", "$default", "subscribe", "unsubscribe", "publish"].map(
  (route) => `${MOCK.apiExecutionArn}/Prod/${route}`,
);

// Minutes on a quiet 2-core machine; several times that when CI runs two suites beside each other on it.
jest.setTimeout(600_000);
afterAll(stopCommandsLeftRunning);

describe("Terraform applies the whole graph against a mocked AWS (terraform test, command = apply, offline)", () => {
  requireTerraform();
  const variants = {
    defaults: { env: {}, expected: { managementEndpoint: "https://chat.example.com/websocket", permissionArns: ROUTE_ARNS } },
    allOptions: {
      env: { ...AUTH_WAF_EMAIL_ENV, WSCF_ALLOW_PLAIN_WS: "true", WSCF_MAPPING_KEY: "ws" },
      expected: { managementEndpoint: "https://chat.example.org/ws", permissionArns: [...ROUTE_ARNS, `${MOCK.apiExecutionArn}/authorizers/*`] },
    },
  };
  const applied = mockApplyAll(variants, cliConfigFile());
  applied.catch(() => undefined);

  test.each(Object.keys(variants) as Array<keyof typeof variants>)(
    "%s: every resource applies, and the origin, alias records, endpoints and grants are wired to what AWS computed",
    async (variant) => {
      const { output, synthesized } = await applied;
      expect(output).toContain(`run "${variant}"... pass`);
      expect(output).toMatch(new RegExp(`Success! ${Object.keys(variants).length} passed, 0 failed\\.`));
      // The applied graph is the whole stack: the web ACL and the authorizer are there when chosen.
      expect(Object.keys(synthesized[variant].resource).includes("aws_wafv2_web_acl")).toBe(variant === "allOptions");
    },
  );
});
