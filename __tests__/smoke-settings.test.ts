import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { OutputsFileError, readStackOutputs, type StackOutputs } from "../tools/smoke/outputs-file";
import { LOCAL_REGION } from "../tools/fakes/local-aws";
import { resolveSettings, SettingsError } from "../tools/smoke/settings";

const deployed: StackOutputs = {
  site_url: "https://chat.example.org/",
  websocket_url: "wss://chat.example.org/live",
  region: "eu-west-1",
  api_default_endpoint: "wss://abc123.execute-api.eu-west-1.amazonaws.com/Prod",
};

function fileWith(text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "smoke-outputs-")), "cdktf-outputs.json");
  writeFileSync(file, text);
  return file;
}

describe("smoke settings: flags, then the deploy outputs, then the environment", () => {
  test("without flags, url, mapping key, region and default endpoint come from the outputs file, each saying so", () => {
    const settings = resolveSettings({}, deployed, {});
    expect(settings).toEqual({
      url: { value: "https://chat.example.org/", source: "cdktf-outputs.json site_url" },
      mappingKey: { value: "live", source: "cdktf-outputs.json websocket_url" },
      region: { value: "eu-west-1", source: "cdktf-outputs.json region" },
      apiDefaultEndpoint: { value: deployed.api_default_endpoint, source: "cdktf-outputs.json api_default_endpoint" },
    });
  });

  test("flags win over the outputs file of the same deployment", () => {
    const settings = resolveSettings({ url: "https://chat.example.org", mappingKey: "websocket", region: "us-east-1" }, deployed, {});
    expect(settings.url).toEqual({ value: "https://chat.example.org", source: "--url" });
    expect(settings.mappingKey).toEqual({ value: "websocket", source: "--mapping-key" });
    expect(settings.region).toEqual({ value: "us-east-1", source: "--region" });
    expect(settings.apiDefaultEndpoint.source).toBe("cdktf-outputs.json api_default_endpoint");
  });

  test("the deployed region wins over AWS_REGION, which is only a fallback", () => {
    expect(resolveSettings({}, deployed, { AWS_REGION: "us-west-2" }).region.value).toBe("eu-west-1");
    const withoutRegion = resolveSettings({}, { ...deployed, region: undefined }, { AWS_REGION: "us-west-2" });
    expect(withoutRegion.region).toEqual({ value: "us-west-2", source: "AWS_REGION" });
  });

  test("an outputs file of another host is not used for --url, and the note says why", () => {
    const settings = resolveSettings({ url: "https://other.example.net" }, deployed, { AWS_REGION: "us-west-2" });
    expect(settings.mappingKey).toEqual({ value: "websocket", source: "default" });
    expect(settings.region.source).toBe("AWS_REGION");
    expect(settings.apiDefaultEndpoint).toEqual({ value: undefined, source: "not given" });
    expect(settings.outputsIgnored).toMatch(/describes https:\/\/chat.example.org\/, not --url/);
  });

  test("a loopback URL signs for the local gateway's region, whatever AWS_REGION says", () => {
    expect(resolveSettings({ url: "http://127.0.0.1:8080" }, undefined, { AWS_REGION: "us-west-2" }).region).toEqual({
      value: LOCAL_REGION,
      source: "the local gateway's region",
    });
  });

  test("no ap-northeast-1 guess for a remote URL: an unknown region is an error that says what to pass", () => {
    expect(() => resolveSettings({ url: "https://chat.example.org" }, undefined, {})).toThrow(SettingsError);
    expect(() => resolveSettings({ url: "https://chat.example.org" }, undefined, {})).toThrow(/region is unknown: pass --region/);
  });

  test("no --url and no outputs file is an error that names npm run deploy", () => {
    expect(() => resolveSettings({}, undefined, {})).toThrow(/--url is required: there is no cdktf-outputs.json \(npm run deploy writes it\)/);
  });

  test("outputs without api_default_endpoint say the stack leaves the default endpoint enabled", () => {
    const settings = resolveSettings({}, { ...deployed, api_default_endpoint: undefined }, {});
    expect(settings.apiDefaultEndpoint).toEqual({ value: undefined, source: expect.stringMatching(/has no api_default_endpoint/) });
  });
});

describe("the deploy outputs file (cdktf deploy --outputs-file)", () => {
  test("reads the stack's outputs from cdktf's layout: nested under the stack name, other outputs kept", () => {
    const file = fileWith(JSON.stringify({ "websocket-cloudfront": { ...deployed, management_endpoint: "https://chat.example.org/live", api_id: "abc123" } }));
    expect(readStackOutputs(file)).toMatchObject(deployed);
  });

  test("a missing file is no error: the flags must then say it all", () => {
    expect(readStackOutputs(path.join(tmpdir(), "no-such-dir-for-smoke", "cdktf-outputs.json"))).toBeUndefined();
  });

  test("a file that is not JSON, or lacks the stack, fails naming the file and the fix", () => {
    expect(() => readStackOutputs(fileWith("{"))).toThrow(OutputsFileError);
    expect(() => readStackOutputs(fileWith("{"))).toThrow(/is not JSON\. Run `npm run deploy` again/);
    expect(() => readStackOutputs(fileWith(JSON.stringify({ other: deployed })))).toThrow(
      /does not hold the websocket-cloudfront stack's outputs \(websocket-cloudfront: /,
    );
    expect(() => readStackOutputs(fileWith(JSON.stringify({ "websocket-cloudfront": { ...deployed, websocket_url: "https://x/" } })))).toThrow(
      /websocket-cloudfront\.websocket_url/,
    );
  });
});
