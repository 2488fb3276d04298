import { existsSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config/config-sources";
import { runApp } from "./support/run-app";
import { siteFolder } from "./support/site-folder";
import { onlyResource, synthStack } from "./support/synth";
import { OWN_DOMAIN_ENV as OWN_DOMAIN, problemsOf } from "./support/config-fixtures";

/** The problems for `env` on top of a domain of one's own; [] when the configuration is accepted. */
const ownDomainProblems = (env: Record<string, string>) => problemsOf({ ...OWN_DOMAIN, ...env });

const tags = (count: number, extra: Record<string, string> = {}) =>
  JSON.stringify({ ...Object.fromEntries(Array.from({ length: count }, (_, i) => [`team${i}`, "chat"])), ...extra });

describe("configuration that AWS or Terraform would reject fails at synth: each rule at its limit and one past it", () => {
  test.each([
    // ACM: a certificate's domain name is at most 64 characters.
    ["a domain of 64 characters (ACM's limit)", { WSCF_DOMAIN_NAME: `${"a".repeat(52)}.example.org` }, null],
    [
      "a domain of 65 characters",
      { WSCF_DOMAIN_NAME: `${"a".repeat(53)}.example.org` },
      /^domainName \(from WSCF_DOMAIN_NAME\) must be at most 64 characters: ACM certificates cannot name a longer domain/,
    ],
    ["an internationalized (punycode) top-level domain", { WSCF_DOMAIN_NAME: "chat.example.xn--p1ai", WSCF_HOSTED_ZONE_NAME: "example.xn--p1ai" }, null],
    [
      "a top-level domain that is neither letters nor punycode",
      { WSCF_DOMAIN_NAME: "chat.example.x1" },
      /^domainName .*must be a lower-case fully qualified domain name/,
    ],
    // Tags: 50 per resource, Project included; aws: in any case reserved; key 128, value 256.
    ["49 tags beside the stack's own Project tag", { WSCF_TAGS: tags(49) }, null],
    [
      "50 tags beside the stack's own Project tag",
      { WSCF_TAGS: tags(50) },
      /^tags \(from WSCF_TAGS\) may hold at most 49 tags besides Project, which the stack adds \(AWS allows 50 per resource\)/,
    ],
    ["49 tags and an override of Project", { WSCF_TAGS: tags(49, { Project: "chat" }) }, null],
    [
      "a tag key reserved by AWS in upper case",
      { WSCF_TAGS: '{"AWS:team":"chat"}' },
      /^tags\.AWS:team \(from WSCF_TAGS\) key may not start with aws: in any letter case/,
    ],
    ["a tag key reserved by AWS in mixed case", { WSCF_TAGS: '{"Aws:team":"chat"}' }, /^tags\.Aws:team .*reserved by AWS/],
    ["a tag key of 128 characters", { WSCF_TAGS: JSON.stringify({ ["k".repeat(128)]: "v" }) }, null],
    [
      "a tag key of 129 characters",
      { WSCF_TAGS: JSON.stringify({ ["k".repeat(129)]: "v" }) },
      /^tags\.k+ \(from WSCF_TAGS\) key may be at most 128 characters/,
    ],
    ["a tag value of 256 characters", { WSCF_TAGS: JSON.stringify({ team: "v".repeat(256) }) }, null],
    [
      "a tag value of 257 characters",
      { WSCF_TAGS: JSON.stringify({ team: "v".repeat(257) }) },
      /^tags\.team \(from WSCF_TAGS\) must be at most 256 characters/,
    ],
    // Terraform's S3 backend: no leading or trailing "/", no "//"; S3 keys are at most 1024 bytes.
    ["an S3 state key of 1024 characters", { WSCF_BACKEND: "s3", WSCF_BACKEND_BUCKET: "my-state", WSCF_BACKEND_KEY: `${"k".repeat(1018)}/state` }, null],
    [
      "an S3 state key of 1025 characters",
      { WSCF_BACKEND: "s3", WSCF_BACKEND_BUCKET: "my-state", WSCF_BACKEND_KEY: `${"k".repeat(1019)}/state` },
      /^backend\.key \(from WSCF_BACKEND_KEY\) must be at most 1024 bytes in UTF-8/,
    ],
    [
      "an S3 state key of 516 characters but 1026 bytes",
      { WSCF_BACKEND: "s3", WSCF_BACKEND_BUCKET: "my-state", WSCF_BACKEND_KEY: `${"é".repeat(510)}/state` },
      /^backend\.key \(from WSCF_BACKEND_KEY\) must be at most 1024 bytes in UTF-8/,
    ],
    [
      "an S3 state key with a leading slash",
      { WSCF_BACKEND: "s3", WSCF_BACKEND_BUCKET: "my-state", WSCF_BACKEND_KEY: "/chat/terraform.tfstate" },
      /^backend\.key \(from WSCF_BACKEND_KEY\) must not start or end with "\/" nor contain "\/\/" \(terraform init refuses it\)/,
    ],
    [
      "an S3 state key with a trailing slash",
      { WSCF_BACKEND: "s3", WSCF_BACKEND_BUCKET: "my-state", WSCF_BACKEND_KEY: "chat/" },
      /^backend\.key .*must not start or end with "\/"/,
    ],
    [
      "an S3 state key with a double slash",
      { WSCF_BACKEND: "s3", WSCF_BACKEND_BUCKET: "my-state", WSCF_BACKEND_KEY: "chat//terraform.tfstate" },
      /^backend\.key .*nor contain "\/\/"/,
    ],
    // A URL path removes "." and "..": neither can be the socket's path segment.
    // S3 reserves bucket-name prefixes; the name prefix starts the site bucket's name.
    [
      "a name prefix that S3 reserves for bucket names",
      { WSCF_NAME_PREFIX: "xn--chat" },
      /^namePrefix \(from WSCF_NAME_PREFIX\) makes the site bucket's name xn--chat-site-…, which may not start with xn-- \(reserved by S3\)/,
    ],
    [
      "a name prefix that becomes a reserved prefix with its dash",
      { WSCF_NAME_PREFIX: "sthree" },
      /^namePrefix .*makes the site bucket's name sthree-site-…, which may not start with sthree-/,
    ],
    ["a mapping key of one dot", { WSCF_MAPPING_KEY: "." }, /^mappingKey \(from WSCF_MAPPING_KEY\) may not be "\." or "\.\." \(a URL path removes them\)/],
    ["a mapping key of two dots", { WSCF_MAPPING_KEY: ".." }, /^mappingKey .*may not be "\." or "\.\."/],
    ["a mapping key with dots inside a name", { WSCF_MAPPING_KEY: "ws.v1" }, null],
  ])("%s", (_case, env, expected) => {
    const problems = ownDomainProblems(env);
    if (expected === null) expect(problems).toEqual([]);
    else expect(problems).toEqual([expect.stringMatching(expected)]);
  });

  test("the distribution's comment, derived from the domain, stays within CloudFront's 128 characters at the longest domain", () => {
    const domainName = `${"a".repeat(52)}.example.org`;
    const { tf } = synthStack({ domainName, hostedZoneName: "example.org", hostedZoneId: "Z0123456789ABCDEFGHIJ" });
    const comment: string = onlyResource(tf, "aws_cloudfront_distribution").comment;
    expect(comment).toContain(domainName);
    expect(comment.length).toBeLessThanOrEqual(128);
  });

  test("the local backend's path set alone selects the local backend, as documented", () => {
    const config = loadConfig({ ...OWN_DOMAIN, WSCF_BACKEND_PATH: "state/chat.tfstate" }, tmpdir());
    expect(config.backend).toEqual({ type: "local", path: "state/chat.tfstate" });
  });
});

describe("the socket's path pattern never captures a file of the site", () => {
  test("a site file that the default pattern would capture is named, with a fix that does not move the socket", () => {
    const site = siteFolder("index.html", "websocket.html", "img/websocket.png");
    expect(ownDomainProblems({ WSCF_SITE_DIR: site })).toEqual([
      expect.stringMatching(
        /^pathPattern also matches \/websocket\.html, so it would hide that path of the site \(rename that file in \S+, or choose a mappingKey that no site file starts with\); got "websocket\*"$/,
      ),
    ]);
    // The pattern starts at the root: a file deeper down with the same name is no problem.
    expect(ownDomainProblems({ WSCF_SITE_DIR: siteFolder("index.html", "img/websocket.png") })).toEqual([]);
  });

  test("a custom pattern that captures site files suggests the default pattern, and that fix passes", () => {
    const site = siteFolder("index.html", "welcome.html", "w.css");
    const problems = ownDomainProblems({ WSCF_SITE_DIR: site, WSCF_PATH_PATTERN: "w*" });
    expect(problems).toEqual([
      expect.stringMatching(
        /^pathPattern \(from WSCF_PATH_PATTERN\) also matches \/w\.css, \/welcome\.html, so it would hide those paths of the site \(use "websocket\*"\); got "w\*"$/,
      ),
    ]);
    expect(ownDomainProblems({ WSCF_SITE_DIR: site, WSCF_PATH_PATTERN: "websocket*" })).toEqual([]);
  });

  test("files that are never published (dot names) are not checked", () => {
    expect(ownDomainProblems({ WSCF_SITE_DIR: siteFolder("index.html", ".websocket-notes") })).toEqual([]);
  });
});

describe("configuration that synth used to accept but the deployment could not use", () => {
  test("a mapping key whose pattern captures the generated settings.json: the page could not start", () => {
    expect(ownDomainProblems({ WSCF_MAPPING_KEY: "s" })).toEqual([
      expect.stringMatching(/^pathPattern also matches \/settings\.json, so it would hide that path of the site/),
    ]);
    expect(ownDomainProblems({ WSCF_MAPPING_KEY: "websocket", WSCF_PATH_PATTERN: "s*" })).toEqual([
      expect.stringMatching(/^pathPattern \(from WSCF_PATH_PATTERN\) cannot match \/websocket/),
      expect.stringMatching(/also matches \/settings\.json/),
    ]);
  });

  test("an auth audience of spaces: every $connect would fail at the authorizer's start", () => {
    const auth = { WSCF_AUTH: "jwt", WSCF_AUTH_ISSUER: "https://login.example.org", WSCF_AUTH_AUDIENCE: "   " };
    expect(ownDomainProblems(auth)).toEqual([expect.stringMatching(/^auth\.audience \(from WSCF_AUTH_AUDIENCE\) must name the tokens' audience/)]);
  });

  test("site files that would be one object resource (a--b.html and a/b.html) are named, not a construct-id clash", () => {
    expect(ownDomainProblems({ WSCF_SITE_DIR: siteFolder("index.html", "a--b.html", "a/b.html") })).toEqual([
      expect.stringMatching(/^siteDir \(from WSCF_SITE_DIR\) holds both a--b\.html and a\/b\.html, which the stack cannot tell apart/),
    ]);
  });

  test("a site file over S3's 5 GB for one upload, or a path over its 1,024-byte keys, is named", () => {
    const site = siteFolder("index.html", `${["d", "e", "f", "g", "h"].map((c) => c.repeat(250)).join("/")}/i.html`);
    truncateSync(join(site, "index.html"), 5 * 1024 ** 3 + 1); // sparse: no disk used
    expect(ownDomainProblems({ WSCF_SITE_DIR: site })).toEqual([
      expect.stringMatching(/^siteDir .*holds d{40}…, whose path is over S3's 1024 bytes for an object key/),
      expect.stringMatching(/^siteDir .*holds index\.html of 5\.0 GiB: one upload takes at most 5 GB/),
    ]);
  });

  test.each([
    ["my..bucket", /may not contain two adjacent periods/],
    ["192.168.5.4", /may not be formatted as an IP address/],
    ["sthree-state", /may not start with sthree- \(reserved by S3\)/],
    ["state--x-s3", /may not end with --x-s3 \(reserved by S3\)/],
  ])("an S3 state bucket named %s, which S3 refuses", (bucket, reason) => {
    expect(ownDomainProblems({ WSCF_BACKEND: "s3", WSCF_BACKEND_BUCKET: bucket })).toEqual([
      expect.stringMatching(new RegExp(`^backend\\.bucket \\(from WSCF_BACKEND_BUCKET\\) ${reason.source}`)),
    ]);
  });

  test("a tag key __proto__, which a JavaScript object drops in silence, is named", () => {
    expect(ownDomainProblems({ WSCF_TAGS: '{"__proto__":"x"}' })).toEqual([
      expect.stringMatching(/^tags\.__proto__ \(from WSCF_TAGS\) key may not be __proto__/),
    ]);
  });

  test("regions: every one that AWS and the pinned provider both know is accepted; a newer one says why not", () => {
    expect(ownDomainProblems({ WSCF_REGION: "ap-east-2" })).toEqual([]);
    expect(ownDomainProblems({ WSCF_REGION: "ap-southeast-6" })).toEqual([
      expect.stringMatching(
        /^region \(from WSCF_REGION\) is Asia Pacific \(New Zealand\), which the pinned AWS provider \(hashicorp\/aws 5\.100\.0\) does not know yet/,
      ),
    ]);
  });
});

describe("a site folder that cannot be published is a configuration error like any other", () => {
  test.each([
    ["missing", () => join(tmpdir(), "wscf-no-such-site"), /does not exist/],
    ["a file", () => join(siteFolder("index.html"), "index.html"), /is not a folder/],
    ["with nothing to publish", () => siteFolder(".env"), /has no file to publish/],
  ])("%s: one problem naming siteDir, exit 1, no stack trace, nothing written", (_case, dir, reason) => {
    const siteDir = dir();
    const message = new RegExp(
      `^siteDir \\(from WSCF_SITE_DIR\\) must be a folder of site files: .*${reason.source} \\(set siteDir to the folder holding index\\.html\\)`,
    );
    expect(ownDomainProblems({ WSCF_SITE_DIR: siteDir })).toEqual([expect.stringMatching(message)]);
    const run = runApp({ ...OWN_DOMAIN, WSCF_SITE_DIR: siteDir });
    expect(run.status).toBe(1);
    expect(run.stderr.split("\n")[1]).toMatch(new RegExp(message.source.replace(/^\^/, "^  - ")));
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(run.outdir)).toBe(false);
  });
});
