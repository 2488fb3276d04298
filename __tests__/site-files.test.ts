import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { listSiteFiles, SITE_CACHE_CONTROL, SiteFolderError } from "../src/front-door/site-files";
import { WebSocketCloudFront } from "../src/front-door/websocket-cloudfront";
import { loadConfig } from "../src/config/config-sources";
import { runApp } from "./support/run-app";
import { resourcesOf, synthStack } from "./support/synth";

/** GIVEN a site folder with `files` (path -> content). */
function siteFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "wscf-site-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

describe("listSiteFiles", () => {
  test("publishes regular files by /-separated key, sorted", () => {
    const dir = siteFolder({ "index.html": "<p>", "img/logo.svg": "<svg/>", "a.css": "" });
    expect(listSiteFiles(dir).files.map((f) => f.key)).toEqual(["a.css", "img/logo.svg", "index.html"]);
    expect(listSiteFiles(dir).files[0].path).toBe(join(dir, "a.css"));
  });

  test("never publishes dot files or dot folders, at any depth, and says what it skipped", () => {
    const dir = siteFolder({ "index.html": "", ".env": "SECRET=1", ".git/config": "", "img/.DS_Store": "" });
    const listing = listSiteFiles(dir);
    expect(listing.files.map((f) => f.key)).toEqual(["index.html"]);
    expect(listing.skipped).toEqual([".env (dot name)", ".git/ (dot name)", "img/.DS_Store (dot name)"]);
  });

  test("never follows or publishes symbolic links (to files or to folders)", () => {
    const outside = siteFolder({ "secret.txt": "outside" });
    const dir = siteFolder({ "index.html": "" });
    symlinkSync(join(outside, "secret.txt"), join(dir, "secret.txt"));
    symlinkSync(outside, join(dir, "linked"));
    const listing = listSiteFiles(dir);
    expect(listing.files.map((f) => f.key)).toEqual(["index.html"]);
    expect(listing.skipped).toEqual(["linked (symbolic link)", "secret.txt (symbolic link)"]);
  });

  test.each([
    ["a missing folder", () => join(tmpdir(), "wscf-no-such-site"), /wscf-no-such-site does not exist$/],
    ["a file instead of a folder", () => join(siteFolder({ "index.html": "" }), "index.html"), /index\.html is not a folder$/],
    ["a folder with only skipped entries", () => siteFolder({ ".env": "" }), /has no file to publish$/],
  ])("%s is a SiteFolderError naming the folder", (_case, dir, message) => {
    expect(() => listSiteFiles(dir())).toThrow(SiteFolderError);
    expect(() => listSiteFiles(dir())).toThrow(message);
  });
});

describe("the bucket publishes only the site", () => {
  test("synth uploads no dot file or symlink and lists what it skipped as a warning", () => {
    const outside = siteFolder({ "secret.txt": "outside" });
    const dir = siteFolder({ "index.html": "<p>", ".env": "SECRET=1", ".git/config": "" });
    symlinkSync(join(outside, "secret.txt"), join(dir, "secret.txt"));
    const run = runApp({ WSCF_SITE_DIR: dir });
    expect(run.status).toBe(0);
    const stack = JSON.parse(readFileSync(join(run.stackDir, "cdk.tf.json"), "utf8"));
    expect(Object.values(stack.resource.aws_s3_object).map((o) => (o as { key: string }).key)).toEqual(["index.html", "settings.json"]);
    const manifest = JSON.parse(readFileSync(join(run.outdir, "manifest.json"), "utf8"));
    const warnings = manifest.stacks["websocket-cloudfront"].annotations.map((a: { level: string; message: string }) => `${a.level} ${a.message}`);
    expect(warnings).toContain("@cdktf/warn Not uploaded from the site folder: .env (dot name), .git/ (dot name), secret.txt (symbolic link)");
  });
});

describe("the page's settings file", () => {
  test("the stack writes settings.json with the mapping key, revalidated on every load", () => {
    const { tf } = synthStack({ mappingKey: "ws", domainName: "chat.example.org", hostedZoneName: "example.org", hostedZoneId: "Z0123456789ABCDEFGHIJ" });
    const settings = resourcesOf(tf, "aws_s3_object").find((o) => o.key === "settings.json");
    expect(JSON.parse(settings.content)).toEqual({ websocketPath: "ws" });
    expect(settings).toMatchObject({ content_type: "application/json", cache_control: "no-cache" });
    expect(settings.etag).toBe(createHash("md5").update(settings.content).digest("hex"));
  });

  test("a site file named settings.json is a configuration error: the stack writes that key itself", () => {
    const dir = siteFolder({ "index.html": "", "settings.json": "{}" });
    expect(() => loadConfig({ WSCF_SITE_DIR: dir })).toThrow(
      /siteDir \(from WSCF_SITE_DIR\) holds settings\.json, which the stack writes itself \(the page's settings\): rename that file/,
    );
  });
});

describe("after a deploy every reader gets the new site, not a copy CloudFront kept for up to a day", () => {
  test("every object of the site, the folder's files and settings.json, is revalidated with S3 on each request (Cache-Control: no-cache)", () => {
    const { tf } = synthStack();
    const objects = resourcesOf(tf, "aws_s3_object");
    expect(objects.map((o) => o.key).sort()).toEqual(["chat.css", "chat.js", "favicon.svg", "index.html", "settings.json"]);
    for (const object of objects) expect([object.key, object.cache_control]).toEqual([object.key, SITE_CACHE_CONTROL]);
    expect(SITE_CACHE_CONTROL).toBe("no-cache");
  });

  test("a front door user sets the Cache-Control per key, e.g. a year for content-hashed files; the rest keep no-cache", () => {
    const stack = new TerraformStack(Testing.app(), "library-user");
    const provider = new AwsProvider(stack, "aws", { region: "us-east-1" });
    new WebSocketCloudFront(stack, "front-door", {
      domainName: "chat.example.org",
      hostedZone: { zoneId: "Z0123456789ABCDEFGHIJ", name: "example.org" },
      api: { id: "a1b2c3d4e5", apiEndpoint: "wss://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com" },
      stage: { apiId: "a1b2c3d4e5", name: "Prod", executionArn: "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/Prod" },
      providers: { api: provider },
      site: {
        files: siteFolder({ "index.html": "<p>", "app.3f9a1c.js": "x" }),
        cacheControl: (key) => (/\.[0-9a-f]{6,}\.js$/.test(key) ? "public, max-age=31536000, immutable" : SITE_CACHE_CONTROL),
      },
    });
    const objects = resourcesOf(JSON.parse(Testing.synth(stack)), "aws_s3_object").map((o) => [o.key, o.cache_control]);
    expect(objects).toEqual([
      ["app.3f9a1c.js", "public, max-age=31536000, immutable"],
      ["index.html", "no-cache"],
    ]);
  });
});
