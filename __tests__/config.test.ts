import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config/config-sources";
import { runApp } from "./support/run-app";
import { OWN_DOMAIN_ENV as OWN_DOMAIN, problemsOf } from "./support/config-fixtures";

/** A config file with `content`, by absolute path. */
function configFile(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "wscf-config-")), "wscf.config.json");
  writeFileSync(file, content);
  return file;
}

describe("configuration", () => {
  test("defaults synthesize the example domain with a local backend", () => {
    const config = loadConfig({}, tmpdir());
    expect(config).toMatchObject({
      domainName: "chat.example.com",
      region: "ap-northeast-1",
      stageName: "Prod",
      mappingKey: "websocket",
      pathPattern: "websocket*",
      allowPlainWs: false,
      backend: { type: "local" },
      logRetentionDays: 30,
    });
  });

  test("environment variables win over the config file", () => {
    const dir = mkdtempSync(join(tmpdir(), "wscf-config-"));
    writeFileSync(
      join(dir, "wscf.config.json"),
      JSON.stringify({ ...{ domainName: "a.example.org", hostedZoneId: "ZFILE", hostedZoneName: "example.org" }, region: "eu-west-1" }),
    );
    const config = loadConfig({ WSCF_REGION: "us-west-2", WSCF_ALLOW_PLAIN_WS: "true" }, dir);
    expect(config).toMatchObject({ domainName: "a.example.org", hostedZoneId: "ZFILE", region: "us-west-2", allowPlainWs: true });
  });

  test("the S3 backend is configured from the environment", () => {
    const config = loadConfig({ ...OWN_DOMAIN, WSCF_BACKEND: "s3", WSCF_BACKEND_BUCKET: "my-state" }, tmpdir());
    expect(config.backend).toEqual({ type: "s3", bucket: "my-state", key: "websocket-cloudfront/terraform.tfstate" });
  });

  describe("each kind of mistake is named with its field, value and fix", () => {
    test.each([
      [
        "a malformed domain",
        { ...OWN_DOMAIN, WSCF_DOMAIN_NAME: "https://Chat.Example.org/" },
        /^domainName \(from WSCF_DOMAIN_NAME\) must be a lower-case fully qualified domain name .*; got "https:\/\/Chat\.Example\.org\/"$/,
      ],
      [
        "a path pattern that cannot match the socket",
        { WSCF_PATH_PATTERN: "sockets*" },
        /^pathPattern \(from WSCF_PATH_PATTERN\) cannot match \/websocket nor \/websocket\/@connections\/abc%3D, where mappingKey websocket puts the socket \(use "websocket\*"\); got "sockets\*"$/,
      ],
      [
        "a path pattern that hides the site",
        { WSCF_PATH_PATTERN: "*" },
        /^pathPattern \(from WSCF_PATH_PATTERN\) also matches \/, \/index\.html, .*so it would hide those paths of the site \(use "websocket\*"\)/,
      ],
      ["an invalid mapping key", { WSCF_MAPPING_KEY: "web/socket" }, /^mappingKey \(from WSCF_MAPPING_KEY\) must be one path segment .*; got "web\/socket"$/],
      ["a wrong region", { WSCF_REGION: "tokyo" }, /^region \(from WSCF_REGION\) must be an AWS region code such as ap-northeast-1; got "tokyo"$/],
      [
        "a missing hosted zone",
        { WSCF_DOMAIN_NAME: "chat.example.org", WSCF_HOSTED_ZONE_NAME: "example.org" },
        /^hostedZoneId is the example zone, but domainName is chat\.example\.org: set hostedZoneId \(WSCF_HOSTED_ZONE_ID\)/,
      ],
      [
        "a domain outside its hosted zone",
        { ...OWN_DOMAIN, WSCF_HOSTED_ZONE_NAME: "example.net" },
        /^hostedZoneName \(from WSCF_HOSTED_ZONE_NAME\) must be the zone that contains domainName chat\.example\.org/,
      ],
      [
        "a malformed hosted zone id",
        { ...OWN_DOMAIN, WSCF_HOSTED_ZONE_ID: "123" },
        /^hostedZoneId \(from WSCF_HOSTED_ZONE_ID\) must be a Route 53 hosted zone id/,
      ],
      [
        "a retention CloudWatch does not offer",
        { WSCF_LOG_RETENTION_DAYS: "45" },
        /^logRetentionDays \(from WSCF_LOG_RETENTION_DAYS\) must be one of CloudWatch's retention values: 1, 3, 5/,
      ],
      ["a boolean that is not true or false", { WSCF_ALLOW_PLAIN_WS: "yes" }, /^allowPlainWs \(from WSCF_ALLOW_PLAIN_WS\) must be true or false; got "yes"$/],
      ["an S3 backend without a bucket", { WSCF_BACKEND: "s3" }, /^backend\.bucket is required$/],
      ["an unknown backend type", { WSCF_BACKEND: "consul" }, /^backend\.type \(from WSCF_BACKEND\) must have "type": "local", "s3" or "cloud"/],
      ["throttling above the account limit", { WSCF_THROTTLING_BURST_LIMIT: "9000" }, /^throttling\.burstLimit .*must be at most 5000/],
      [
        "a tag key reserved by AWS",
        { WSCF_TAGS: '{"aws:team":"chat"}' },
        /^tags\.aws:team \(from WSCF_TAGS\) key may not start with aws: in any letter case \(reserved by AWS\)/,
      ],
      ["an invalid name prefix", { WSCF_NAME_PREFIX: "My_Chat" }, /^namePrefix .*must be 2-20 chars/],
      ["a config file that is not JSON", { WSCF_CONFIG_FILE: configFile("{ domainName: chat }") }, /^config file \S+\.json: .*JSON/],
      [
        "an unknown field in the config file",
        { WSCF_CONFIG_FILE: configFile(JSON.stringify({ domainname: "chat.example.org" })) },
        /^configuration has no field "domainname" \(check the spelling/,
      ],
      [
        "a mistyped variable name",
        { WSCF_DOMAIN: "chat.example.org" },
        /^WSCF_DOMAIN is not a setting: did you mean WSCF_DOMAIN_NAME\? \(the WSCF_\* variables are listed in docs\/configuration\.md; unset it\)$/,
      ],
    ])("%s: named in the one problem reported, and the app writes nothing", (_kind, env, message) => {
      expect(problemsOf(env)).toEqual([expect.stringMatching(message)]);
      const run = runApp(env);
      expect(run.status).toBe(1);
      expect(run.stderr.split("\n")[1]).toMatch(new RegExp(message.source.replace(/^\^/, "^  - ")));
      expect(existsSync(run.outdir)).toBe(false);
    });
  });

  test("a domain set alone: the zone it names is the domain's own, not the example's", () => {
    expect(problemsOf({ WSCF_DOMAIN_NAME: "chat.example.org" })).toEqual([
      expect.stringMatching(/^hostedZoneName must be the zone that contains domainName chat\.example\.org \(set it to example\.org/),
      expect.stringMatching(
        /^hostedZoneId is the example zone, but domainName is chat\.example\.org: .*the Route 53 hosted zone that holds it \(example\.org\)/,
      ),
    ]);
  });

  test("a WSCF_* variable that is not a setting is a problem, with the setting it most likely meant; the tools' own variables are not", () => {
    expect(problemsOf({ WSCF_REGON: "us-east-1", WSCF_BACKEND_BUCKT: "state", WSCF_X: "1", WSCF_PROVIDER_MIRROR: "/opt/tf-plugins", TMPDIR: "/tmp" })).toEqual([
      expect.stringMatching(/^WSCF_BACKEND_BUCKT is not a setting: did you mean WSCF_BACKEND_BUCKET\? /),
      expect.stringMatching(/^WSCF_REGON is not a setting: did you mean WSCF_REGION\? /),
      expect.stringMatching(/^WSCF_X is not a setting \(the WSCF_\* variables are listed in docs\/configuration\.md; unset it\)$/),
    ]);
    expect(problemsOf({ WSCF_CONFIG_FILE: configFile("{}") })).toEqual([]);
  });

  test("every problem is listed at once", () => {
    const problems = problemsOf({ WSCF_REGION: "tokyo", WSCF_MAPPING_KEY: "a b", WSCF_LOG_RETENTION_DAYS: "45", WSCF_ALLOW_PLAIN_WS: "1" });
    expect(problems.map((p) => p.split(" ")[0]).sort()).toEqual(["allowPlainWs", "logRetentionDays", "mappingKey", "region"]);
  });

  test("the app exits 1, prints every problem, and writes nothing", () => {
    const run = runApp({ WSCF_REGION: "tokyo", WSCF_DOMAIN_NAME: "chat.example.org", WSCF_MAPPING_KEY: "a b" });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^Invalid configuration: 4 problems\. Nothing was synthesized\./);
    expect(run.stderr).toContain("region (from WSCF_REGION)");
    expect(run.stderr).toContain("mappingKey (from WSCF_MAPPING_KEY)");
    expect(run.stderr).toContain("hostedZoneId is the example zone");
    expect(run.stderr).toContain("hostedZoneName must be the zone that contains domainName chat.example.org");
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(run.outdir)).toBe(false);
  });
});
