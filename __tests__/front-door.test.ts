import { tmpdir } from "node:os";
import { join } from "node:path";
import { Apigatewayv2Api } from "@cdktf/provider-aws/lib/apigatewayv2-api";
import { Apigatewayv2Stage } from "@cdktf/provider-aws/lib/apigatewayv2-stage";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing, TerraformStack } from "cdktf";
import { FrontDoorInputError, type WebSocketCloudFrontProps } from "../src/front-door/front-door-props";
import { WebSocketCloudFront } from "../src/front-door/websocket-cloudfront";
import { siteFolder } from "./support/site-folder";
import { resourcesOf, type TerraformJson } from "./support/synth";

const ZONE = { zoneId: "Z0123456789ABCDEFGHIJ", name: "example.org" };

/** GIVEN a consumer's stack with its own API in `region` WHEN front doors are added with `props`. */
function consumerStack(region = "eu-west-1") {
  const stack = new TerraformStack(Testing.app(), "consumer");
  const api = new AwsProvider(stack, "aws", { region });
  const usEast1 = region === "us-east-1" ? undefined : new AwsProvider(stack, "aws-us-east-1", { alias: "us_east_1", region: "us-east-1" });
  const socketApi = new Apigatewayv2Api(stack, "api", {
    name: "socket",
    protocolType: "WEBSOCKET",
    routeSelectionExpression: "$request.body.action",
    disableExecuteApiEndpoint: true,
  });
  const stage = new Apigatewayv2Stage(stack, "stage", { apiId: socketApi.id, name: "live" });
  const base = { hostedZone: ZONE, api: socketApi, stage, providers: { api, usEast1 } };
  const add = (id: string, props: Partial<WebSocketCloudFrontProps> & { domainName: string }) => new WebSocketCloudFront(stack, id, { ...base, ...props });
  const synth = (): TerraformJson => JSON.parse(Testing.synth(stack));
  return { stack, add, synth };
}

/** The problems a front door reports for `props`; [] when it accepts them. */
function problemsOf(props: Partial<WebSocketCloudFrontProps> & { domainName: string }, region?: string): readonly string[] {
  try {
    consumerStack(region).add("front-door", props);
    return [];
  } catch (error) {
    if (error instanceof FrontDoorInputError) return error.problems;
    throw error;
  }
}

describe("WebSocketCloudFront", () => {
  test("R1-R4 in front of a consumer's API: the alias, the socket behavior with Host and Authorization, the mapping onto the consumer's stage", () => {
    const { add, synth } = consumerStack();
    const frontDoor = add("front-door", { domainName: "socket.example.org" });
    const tf = synth();
    const [distribution] = resourcesOf(tf, "aws_cloudfront_distribution");
    expect(distribution.aliases).toEqual(["socket.example.org"]);
    expect(distribution.ordered_cache_behavior[0].forwarded_values.headers).toEqual(expect.arrayContaining(["Host", "Authorization"]));
    expect(resourcesOf(tf, "aws_apigatewayv2_api_mapping")[0]).toMatchObject({ api_mapping_key: "websocket", stage: "${aws_apigatewayv2_stage.stage.name}" });
    expect(frontDoor.managementEndpoint).toBe("https://socket.example.org/websocket");
    expect(frontDoor.websocketUrl).toBe("wss://socket.example.org/websocket");
  });

  test("two front doors (two hostnames) in one stack share no address and no physical name", () => {
    const { add, synth } = consumerStack();
    add("public", { domainName: "socket.example.org", site: { files: siteFolder("index.html") } });
    add("partners", { domainName: "partners.example.org", site: { files: siteFolder("index.html") } });
    const tf = synth();
    expect(
      resourcesOf(tf, "aws_cloudfront_distribution")
        .map((d) => d.aliases[0])
        .sort(),
    ).toEqual(["partners.example.org", "socket.example.org"]);
    expect(resourcesOf(tf, "aws_apigatewayv2_domain_name")).toHaveLength(2);
    expect(resourcesOf(tf, "aws_acm_certificate")).toHaveLength(4);
    expect(resourcesOf(tf, "aws_route53_record")).toHaveLength(6); // per front door: one validation record, A and AAAA
    const bucketPrefixes = resourcesOf(tf, "aws_s3_bucket").map((b) => b.bucket_prefix);
    const accessControls = resourcesOf(tf, "aws_cloudfront_origin_access_control").map((o) => o.name);
    expect(new Set(bucketPrefixes).size).toBe(2);
    expect(new Set(accessControls).size).toBe(2);
  });

  test("every resource is managed with the caller's providers: CloudFront's certificate in us-east-1, the rest with the API's", () => {
    const { add, synth } = consumerStack();
    add("front-door", { domainName: "socket.example.org", site: { files: siteFolder("index.html") } });
    const tf = synth();
    const providerOf = (type: string) => resourcesOf(tf, type).map((r) => r.provider);
    expect(providerOf("aws_acm_certificate").sort()).toEqual(["aws", "aws.us_east_1"]);
    for (const type of ["aws_cloudfront_distribution", "aws_apigatewayv2_domain_name", "aws_s3_bucket", "aws_route53_record", "aws_s3_object"]) {
      expect(new Set(providerOf(type))).toEqual(new Set(["aws"]));
    }
  });

  test("R7 the API in us-east-1 needs one provider and one certificate", () => {
    const { add, synth } = consumerStack("us-east-1");
    add("front-door", { domainName: "socket.example.org" });
    expect(resourcesOf(synth(), "aws_acm_certificate")).toHaveLength(1);
  });

  test("without a site or an origin, every other path goes to the API origin too, uncached", () => {
    const { add, synth } = consumerStack();
    add("front-door", { domainName: "socket.example.org" });
    const [distribution] = resourcesOf(synth(), "aws_cloudfront_distribution");
    expect(distribution.origin).toHaveLength(1);
    expect(distribution.default_cache_behavior).toMatchObject({ target_origin_id: "websocket-api", max_ttl: 0, viewer_protocol_policy: "https-only" });
    expect(distribution.default_root_object).toBeUndefined();
  });

  test("the caller's origin for every other path: HTTPS only, nothing cached, every viewer header but Host", () => {
    const { add, synth } = consumerStack();
    add("front-door", { domainName: "socket.example.org", defaultOrigin: { domainName: "app.example.org" } });
    const [distribution] = resourcesOf(synth(), "aws_cloudfront_distribution");
    expect(distribution.origin[0]).toMatchObject({ domain_name: "app.example.org", custom_origin_config: { origin_protocol_policy: "https-only" } });
    expect(distribution.default_cache_behavior).toMatchObject({
      target_origin_id: "default",
      cache_policy_id: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
      origin_request_policy_id: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
    });
  });

  test("the caller's validated certificates and no alias records: no ACM, no Route 53, no zone needed", () => {
    const { add, synth } = consumerStack();
    add("front-door", {
      domainName: "socket.example.org",
      hostedZone: undefined,
      aliasRecords: false,
      certificates: { cloudFrontArn: "arn:aws:acm:us-east-1:123456789012:certificate/cf", regionalArn: "arn:aws:acm:eu-west-1:123456789012:certificate/api" },
    });
    const tf = synth();
    expect(resourcesOf(tf, "aws_acm_certificate")).toHaveLength(0);
    expect(resourcesOf(tf, "aws_route53_record")).toHaveLength(0);
    expect(resourcesOf(tf, "aws_apigatewayv2_domain_name")[0].domain_name_configuration.certificate_arn).toBe(
      "arn:aws:acm:eu-west-1:123456789012:certificate/api",
    );
  });

  test("R11 grantManageConnections lets a role call GET, POST and DELETE on this stage's @connections only", () => {
    const { stack, add, synth } = consumerStack();
    const frontDoor = add("front-door", { domainName: "socket.example.org" });
    const role = new IamRole(stack, "backend-role", { name: "backend", assumeRolePolicy: "{}" });
    frontDoor.grantManageConnections(role);
    const tf = synth();
    const [document] = Object.values(tf.data.aws_iam_policy_document) as any[];
    expect(document.statement).toEqual([
      {
        effect: "Allow",
        actions: ["execute-api:ManageConnections"],
        resources: ["POST", "GET", "DELETE"].map((method) => `\${aws_apigatewayv2_stage.stage.execution_arn}/${method}/@connections/*`),
      },
    ]);
    expect(resourcesOf(tf, "aws_iam_role_policy")[0]).toMatchObject({ role: "${aws_iam_role.backend-role.id}" });
  });

  test("props that cannot work fail at synth with every problem at once, each naming the prop", () => {
    const problems = problemsOf({
      domainName: "Socket.Example.org",
      hostedZone: { zoneId: "Z0123456789ABCDEFGHIJ", name: "example.net" },
      socketPath: "web/socket",
      webAclArn: "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/1",
      site: { files: siteFolder("index.html") },
      defaultOrigin: { domainName: "app.example.org" },
    });
    expect(problems.map((p) => p.split(" ")[0]).sort()).toEqual(["defaultOrigin", "domainName", "hostedZone.name", "socketPath", "webAclArn"]);
  });

  test.each([
    [
      "a domain outside its zone",
      { domainName: "socket.example.org", hostedZone: { zoneId: "Z0123456789ABCDEFGHIJ", name: "example.net" } },
      /^hostedZone\.name must be the zone that contains domainName socket\.example\.org/,
    ],
    [
      "a path pattern that cannot match the socket",
      { domainName: "socket.example.org", pathPattern: "sockets*" },
      /^pathPattern cannot match \/websocket nor \/websocket\/@connections\/abc%3D, where socketPath websocket puts the socket \(use "websocket\*"\)/,
    ],
    [
      "a path pattern that hides a site file",
      { domainName: "socket.example.org", socketPath: "w", site: { files: siteFolder("index.html", "welcome.html") } },
      /^pathPattern also matches \/welcome\.html, so it would hide that path of the site/,
    ],
    [
      "a site file where the stack writes a generated one",
      {
        domainName: "socket.example.org",
        site: {
          files: siteFolder("index.html", "config.json"),
          generated: [{ key: "config.json", body: "{}", contentType: "application/json", purpose: "the page's settings" }],
        },
      },
      /^site\.files holds config\.json, which the stack writes itself \(the page's settings\)/,
    ],
    [
      "a missing site folder",
      { domainName: "socket.example.org", site: { files: join(tmpdir(), "no-such-site-folder") } },
      /^site\.files must be a folder of site files: .*no-such-site-folder does not exist/,
    ],
    ["no zone while certificates are to be created", { domainName: "socket.example.org", hostedZone: undefined }, /^hostedZone is required/],
    [
      "a name prefix that S3 reserves for bucket names",
      { domainName: "socket.example.org", namePrefix: "sthree", site: { files: siteFolder("index.html") } },
      /^namePrefix makes the site bucket's name sthree-site-…, which may not start with sthree- \(reserved by S3\)/,
    ],
    ["a name prefix too long for a bucket prefix", { domainName: "socket.example.org", namePrefix: "a".repeat(31) }, /^namePrefix must be 2-30 characters/],
    ["the defaults, with a zone that holds the domain", { domainName: "socket.example.org" }, null],
    [
      "a CloudFront certificate outside us-east-1",
      { domainName: "socket.example.org", certificates: { cloudFrontArn: "arn:aws:acm:eu-west-1:123456789012:certificate/x" } },
      /^certificates\.cloudFrontArn must be an ACM certificate in us-east-1/,
    ],
    [
      "the execute-api origin of an API whose default endpoint is off",
      { domainName: "socket.example.org", apiOrigin: "execute-api" as const },
      /^apiOrigin is the API's default endpoint, which the API turns off/,
    ],
  ])("%s", (_, props, expected) => {
    const problems = problemsOf(props);
    if (expected === null) expect(problems).toEqual([]);
    else expect(problems).toEqual([expect.stringMatching(expected)]);
  });

  test("an API outside us-east-1 needs a provider in us-east-1: CloudFront takes certificates from there only", () => {
    const stack = new TerraformStack(Testing.app(), "consumer");
    const api = new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const socketApi = new Apigatewayv2Api(stack, "api", { name: "socket", protocolType: "WEBSOCKET", routeSelectionExpression: "$request.body.action" });
    const stage = new Apigatewayv2Stage(stack, "stage", { apiId: socketApi.id, name: "live" });
    const frontDoor = (id: string, usEast1?: AwsProvider) => () =>
      new WebSocketCloudFront(stack, id, { domainName: "socket.example.org", hostedZone: ZONE, api: socketApi, stage, providers: { api, usEast1 } });
    expect(frontDoor("none")).toThrow(/providers\.usEast1 is required: the API's provider is in eu-west-1/);
    const frankfurt = new AwsProvider(stack, "aws-frankfurt", { alias: "frankfurt", region: "eu-central-1" });
    expect(frontDoor("wrong", frankfurt)).toThrow(
      /providers\.usEast1 must be a provider in us-east-1, where CloudFront takes certificates from; got "eu-central-1"/,
    );
  });
});
