import { spawn, spawnSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { loadConfig } from "../src/config/config-sources";
import { RUN_TS } from "./support/cli-process";
import { deployRefusal, GUARDED_COMMANDS, isReservedExampleDomain } from "../src/config/deploy-guard";
import { LOCAL_CREDENTIALS } from "../tools/fakes/local-aws";

const ROOT = resolve(__dirname, "..");
/** A configuration nobody would mistake for a placeholder. */
const OWN_DEPLOYMENT = {
  WSCF_DOMAIN_NAME: "chat.wscf-guard-test.net",
  WSCF_HOSTED_ZONE_ID: "Z09876543210ZYXWVUTSR",
  WSCF_HOSTED_ZONE_NAME: "wscf-guard-test.net",
};
/** Only what a fresh shell has: no AWS credentials, no instance metadata. */
const BARE_ENV = { PATH: process.env.PATH, HOME: "/nonexistent-home", CHECKPOINT_DISABLE: "1", AWS_EC2_METADATA_DISABLED: "true" };

/** Runs `npm run <script>` at the project root with only a bare environment and `env`. */
function npmRun(script: string, env: Record<string, string>) {
  return spawnSync("npm", ["run", "--silent", script], { cwd: ROOT, env: { ...BARE_ENV, ...env }, encoding: "utf8", timeout: 60_000 });
}

/** Runs the guard alone (not the cdktf command behind it), as package.json's scripts do; resolves with its exit code and output. */
function runGuard(command: string, env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ["--require", "./tools/scripts/sdk-node-warning.cjs", ...RUN_TS, "tools/scripts/deploy-guard.ts", command], {
      cwd: ROOT,
      env: { ...BARE_ENV, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill(), 30_000);
    child.on("close", (status) => {
      clearTimeout(timer);
      done({ status, stdout, stderr });
    });
  });
}

/** A loopback stand-in for STS that answers GetCallerIdentity as AWS documents its XML. */
async function fakeSts(): Promise<{ server: Server; url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      requests.push(body);
      response.writeHead(200, { "content-type": "text/xml" });
      response.end(
        '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
          "<Arn>arn:aws:iam::123456789012:user/deployer</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account>" +
          "</GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>",
      );
    });
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

jest.setTimeout(60_000);

describe("the deploy guard refuses every placeholder before Terraform runs", () => {
  test.each(GUARDED_COMMANDS)("%s is refused for the built-in example domain, with the reason and how to set your own", (command) => {
    const refusal = deployRefusal(loadConfig({}), command);
    expect(refusal).toMatch(new RegExp(`^Refusing to ${command}: domainName is the built-in example domain chat\\.example\\.com`));
    expect(refusal).toContain("cp wscf.config.example.json wscf.config.json");
    expect(refusal).toContain("WSCF_DOMAIN_NAME");
  });

  test("the example file copied unedited is refused for its domain, its zone id and its state bucket at once", () => {
    const refusal = deployRefusal(loadConfig({ WSCF_CONFIG_FILE: "wscf.config.example.json" }), "deploy");
    expect(refusal).toContain("domainName chat.example.org is reserved for documentation (RFC 2606)");
    expect(refusal).toContain("hostedZoneId Z0123456789ABCDEFGHIJ is the example's placeholder");
    expect(refusal).toContain("backend.bucket my-terraform-state is the example's placeholder");
  });

  test.each([
    ["example.com", true],
    ["chat.example.net", true],
    ["a.b.example.org", true],
    ["chat.test", true],
    ["chat.localhost", true],
    ["chat.example", true],
    ["chat.invalid", true],
    ["myexample.com", false],
    ["example.company.com", false],
  ])("RFC 2606 reserves %s: %s", (domain, reserved) => {
    expect(isReservedExampleDomain(domain)).toBe(reserved);
  });

  test("your own domain, zone and bucket may be deployed", () => {
    const config = loadConfig({ ...OWN_DEPLOYMENT, WSCF_BACKEND: "s3", WSCF_BACKEND_BUCKET: "wscf-guard-test-state" });
    for (const command of GUARDED_COMMANDS) expect(deployRefusal(config, command)).toBeUndefined();
  });

  test("npm run deploy exits non-zero before cdktf or Terraform runs", () => {
    const run = npmRun("deploy", {});
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("Refusing to deploy: domainName is the built-in example domain chat.example.com");
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/Synthesizing|terraform|Initializing/i);
  });

  test("npm run destroy with an invalid configuration lists the problems and runs nothing", () => {
    const run = npmRun("destroy", { ...OWN_DEPLOYMENT, WSCF_REGION: "tokyo" });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/^Invalid configuration: 1 problem\. Nothing was synthesized\.\n {2}- region \(from WSCF_REGION\)/);
    expect(run.stdout).not.toMatch(/Synthesizing/);
  });
});

describe("the deploy guard asks AWS who is deploying before Terraform runs", () => {
  test("without credentials it refuses in seconds, saying so", async () => {
    const started = Date.now();
    const run = await runGuard("deploy", OWN_DEPLOYMENT);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^Refusing to deploy: AWS did not confirm who you are \(no AWS credentials were found\)/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  test("with credentials it names the account, the domain, the region and where the state lives, in one line", async () => {
    const sts = await fakeSts();
    try {
      const run = await runGuard("deploy", {
        ...OWN_DEPLOYMENT,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        AWS_ENDPOINT_URL_STS: sts.url,
        WSCF_BACKEND: "s3",
        WSCF_BACKEND_BUCKET: "wscf-guard-test-state",
      });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(
        "Deploying websocket-cloudfront in AWS account 123456789012 as arn:aws:iam::123456789012:user/deployer: chat.wscf-guard-test.net, " +
          "region ap-northeast-1, state s3://wscf-guard-test-state/websocket-cloudfront/terraform.tfstate (ap-northeast-1, locked)\n",
      );
      expect(sts.requests).toEqual([expect.stringContaining("Action=GetCallerIdentity")]);
    } finally {
      sts.server.close();
    }
  });
});
