import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runAppAsync } from "./support/run-app";
import { cliConfigFile, offlineWorkdir, requireTerraform, terraform } from "./support/terraform";
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

/** The `terraform test` file: one applied run whose assertions name the computed wiring that matters. */
function applyTest(tf: TerraformJson, expected: { managementEndpoint: string; permissionArns: string[] }): string {
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
  return `mock_provider "aws" {\n  source = "./mocks"\n}\nmock_provider "aws" {\n  alias  = "us_east_1"\n  source = "./mocks"\n}\n\nrun "apply" {\n  command = apply\n\n${blocks.join("\n")}\n}\n`;
}

/** Synthesizes with `env`, then init (once) and `terraform test` in a copy of the stack; resolves with the test's output and its timings. */
async function mockApply(env: Record<string, string>, expected: { managementEndpoint: string; permissionArns: string[] }, cliConfig: string) {
  const app = await runAppAsync(env);
  if (app.status !== 0) throw new Error(`synth failed: ${app.stderr}`);
  const tf: TerraformJson = JSON.parse(readFileSync(join(app.stackDir, "cdk.tf.json"), "utf8"));
  const dir = offlineWorkdir(app.stackDir);
  // `terraform test` reads test files and mocks from the configuration's own folder.
  mkdirSync(join(dir, "mocks"));
  copyFileSync(join(__dirname, "support", "apply", "aws.tfmock.hcl"), join(dir, "mocks", "aws.tfmock.hcl"));
  writeFileSync(join(dir, "apply.tftest.hcl"), applyTest(tf, expected));
  const started = Date.now();
  await terraform(dir, cliConfig, "init", "-input=false", "-no-color");
  const initMs = Date.now() - started;
  const output = await terraform(dir, cliConfig, "test", "-no-color");
  return { output, tf, initMs, testMs: Date.now() - started - initMs };
}

const ROUTE_ARNS = ["$connect", "$disconnect", "sendmessage", "$default", "subscribe", "unsubscribe", "publish"].map(
  (route) => `${MOCK.apiExecutionArn}/Prod/${route}`,
);

// Minutes on a quiet 2-core machine; several times that when CI runs two suites beside each other on it.
jest.setTimeout(600_000);

describe("Terraform applies the whole graph against a mocked AWS (terraform test, command = apply, offline)", () => {
  requireTerraform();
  const cliConfig = cliConfigFile();
  const runs = {
    defaults: mockApply({}, { managementEndpoint: "https://chat.example.com/websocket", permissionArns: ROUTE_ARNS }, cliConfig),
    allOptions: mockApply(
      { ...AUTH_WAF_EMAIL_ENV, WSCF_ALLOW_PLAIN_WS: "true", WSCF_MAPPING_KEY: "ws" },
      { managementEndpoint: "https://chat.example.org/ws", permissionArns: [...ROUTE_ARNS, `${MOCK.apiExecutionArn}/authorizers/*`] },
      cliConfig,
    ),
  };
  for (const run of Object.values(runs)) run.catch(() => undefined);

  test.each(Object.keys(runs) as Array<keyof typeof runs>)(
    "%s: every resource applies, and the origin, alias records, endpoints and grants are wired to what AWS computed",
    async (variant) => {
      const { output, tf } = await runs[variant];
      expect(output).toMatch(/run "apply"\.\.\. pass/);
      expect(output).toMatch(/Success! 1 passed, 0 failed\./);
      // The applied graph is the whole stack: the web ACL and the authorizer are there when chosen.
      expect(Object.keys(tf.resource).includes("aws_wafv2_web_acl")).toBe(variant === "allOptions");
    },
  );
});
