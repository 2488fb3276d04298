import { execFile } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { WebSocketServer } from "ws";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../tools/fakes/local-aws";
import { startDevServer, type DevServer } from "../tools/gateway/server";
import { runSmoke, type SmokeOptions, type SmokeResult, type StepName } from "../tools/smoke/run-smoke";
import { RUN_TS } from "./support/cli-process";
import { QUIET_HANDLERS } from "./support/local-gateway";
import { startMisconfiguredProxy, type Fault } from "./support/misconfigured-proxy";

let server: DevServer;

beforeAll(async () => {
  server = await startDevServer({ port: 0, handlerEnvironment: QUIET_HANDLERS });
});

afterAll(async () => {
  await server?.close();
});

const outcomes = (result: SmokeResult) => Object.fromEntries(result.steps.map((s) => [s.name, s.outcome]));
const stepNamed = (result: SmokeResult, name: StepName) => result.steps.find((s) => s.name === name);
const smoke = (options: Partial<SmokeOptions> = {}) =>
  runSmoke({ url: server.url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, stepTimeoutMs: 5000, ...options });
/** Runs the checks through a proxy that plays `fault` in front of the local gateway. */
async function smokeThrough(fault: Fault, options: Partial<SmokeOptions> = {}): Promise<SmokeResult> {
  const proxy = await startMisconfiguredProxy(server.url, fault);
  try {
    return await smoke({ url: proxy.url, ...options });
  } finally {
    await proxy.close();
  }
}
const run = promisify(execFile);
const smokeCli = (...args: string[]) => run(process.execPath, [...RUN_TS, "tools/smoke/cli.ts", ...args]);

/** A stand-in for the API's own execute-api endpoint: refusing handshakes with `status`, or accepting them. */
async function defaultEndpoint(answer: { refuse: number } | "accept"): Promise<{ url: string; close(): Promise<void> }> {
  const http: Server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });
  http.on("upgrade", (req, socket, head) => {
    if (answer === "accept") wss.handleUpgrade(req, socket, head, (ws) => ws.on("error", () => undefined));
    else socket.end(`HTTP/1.1 ${answer.refuse} Forbidden\r\nContent-Type: application/json\r\nContent-Length: 23\r\n\r\n{"message":"Forbidden"}`);
  });
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  return {
    url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/Prod`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

describe("smoke command (npm run smoke)", () => {
  test("R11 R12 against the local gateway every check passes, each with its time; the unknown default endpoint is skipped, saying why", async () => {
    const result = await smoke();

    expect(outcomes(result)).toEqual({
      site: "pass",
      connect: "pass",
      echo: "pass",
      whoami: "pass",
      status: "pass",
      post: "pass",
      delete: "pass",
      bypass: "skip",
    });
    expect(result.ok).toBe(true);
    expect(result.connectionId).toMatch(/^[A-Za-z0-9+/=_-]+$/);
    expect(result.websocketUrl).toBe(server.websocketUrl);
    expect(result.managementEndpoint).toBe(server.managementEndpoint);
    expect(result.steps.every((s) => Number.isInteger(s.ms) && s.ms >= 0)).toBe(true);
    expect(stepNamed(result, "delete")?.detail).toMatch(/1000/);
    expect(stepNamed(result, "bypass")?.detail).toMatch(/default endpoint is unknown: pass --api-default-endpoint/);
  });

  test("R2 the no-bypass check passes when the API's default endpoint refuses the handshake with 403", async () => {
    const endpoint = await defaultEndpoint({ refuse: 403 });
    try {
      const result = await smoke({ apiDefaultEndpoint: endpoint.url });
      expect(stepNamed(result, "bypass")).toMatchObject({ outcome: "pass", detail: expect.stringMatching(/refused the handshake with 403/) });
      expect(result.ok).toBe(true);
    } finally {
      await endpoint.close();
    }
  });

  test("R2 the no-bypass check fails, saying how to disable it, when the API's default endpoint accepts a socket", async () => {
    const endpoint = await defaultEndpoint("accept");
    try {
      const result = await smoke({ apiDefaultEndpoint: endpoint.url });
      expect(stepNamed(result, "bypass")).toMatchObject({
        outcome: "fail",
        detail: expect.stringMatching(/accepted a WebSocket/),
        hint: expect.stringMatching(/bypass CloudFront: set disable_execute_api_endpoint/),
      });
      expect(result.ok).toBe(false);
    } finally {
      await endpoint.close();
    }
  });

  test("R4 through a proxy that drops Authorization, the @connections checks fail with the Missing Authentication Token hint", async () => {
    const result = await smokeThrough("strip-authorization");

    expect(result.ok).toBe(false);
    expect(outcomes(result)).toMatchObject({ site: "pass", connect: "pass", echo: "pass", whoami: "pass", status: "fail" });
    expect(stepNamed(result, "status")).toMatchObject({
      status: 403,
      detail: expect.stringMatching(/Missing Authentication Token/),
      hint: expect.stringMatching(/forward Authorization/),
    });
  });

  test("signed for a region the API is not in, the @connections checks say so and name --region, not a rewritten Host", async () => {
    const result = await smokeThrough("api-in-other-region", { region: "us-west-2" });

    const status = stepNamed(result, "status");
    expect(status).toMatchObject({ outcome: "fail", status: 403, detail: expect.stringMatching(/scoped to a valid region, not 'us-west-2'/) });
    expect(status?.hint).toMatch(/wrong signing region: the calls were signed for us-west-2.*pass --region/);
    expect(status?.hint).not.toMatch(/Host/);
  });

  test("R1 R3 a 404 on the socket handshake points at the mapping key and path pattern, not the site bucket", async () => {
    const result = await smokeThrough("socket-not-routed");

    expect(outcomes(result)).toMatchObject({ site: "pass", connect: "fail", echo: "skip" });
    const connect = stepNamed(result, "connect");
    expect(connect).toMatchObject({ status: 404, hint: expect.stringMatching(/--mapping-key.*path pattern/) });
    expect(connect?.hint).not.toMatch(/bucket/);
    expect(stepNamed(result, "echo")?.detail).toBe("skipped: no open socket (an earlier step failed)");
  });

  test("a path pattern that captures settings.json fails the site check: the page could not find its socket", async () => {
    const result = await smokeThrough("settings-captured");

    expect(outcomes(result)).toMatchObject({ site: "fail", connect: "pass", echo: "pass" });
    expect(stepNamed(result, "site")).toMatchObject({
      status: 403,
      detail: expect.stringMatching(/settings\.json gave HTTP 403, not the socket's path "websocket"/),
    });
  });

  test("R6 through a viewer policy that redirects to HTTPS, the page and the socket fail with the 301 hint", async () => {
    const result = await smokeThrough("redirect-to-https");

    expect(outcomes(result)).toEqual({
      site: "fail",
      connect: "fail",
      echo: "skip",
      whoami: "skip",
      status: "skip",
      post: "skip",
      delete: "skip",
      bypass: "skip",
    });
    expect(stepNamed(result, "connect")).toMatchObject({ status: 301, hint: expect.stringMatching(/redirect-to-https/) });
  });

  test("a step timeout beyond Node's timer limit is refused instead of firing at once", async () => {
    await expect(smoke({ stepTimeoutMs: 2 ** 31 })).rejects.toThrow(/at most 2147483647 ms/);
  });
});

describe("smoke command line", () => {
  test("prints --json and exits 0 when no check fails, 1 with the hint when one fails", async () => {
    const good = await smokeCli("--url", server.url, "--json", "--timeout", "5", "--outputs-file", "/nonexistent/cdktf-outputs.json");
    const parsed = JSON.parse(good.stdout) as SmokeResult;
    expect(parsed.ok).toBe(true);
    expect(parsed.steps).toHaveLength(8);

    const proxy = await startMisconfiguredProxy(server.url, "redirect-to-https");
    try {
      const bad = smokeCli("--url", proxy.url, "--timeout", "5");
      await expect(bad).rejects.toMatchObject({ code: 1, stdout: expect.stringMatching(/FAIL\s+connect[\s\S]*hint: redirected/) });
    } finally {
      await proxy.close();
    }
  }, 60_000);

  test("without --url it checks the deployment in the outputs file, and the header says where each value came from", async () => {
    const endpoint = await defaultEndpoint({ refuse: 403 });
    const dir = mkdtempSync(path.join(tmpdir(), "smoke-outputs-"));
    const outputsFile = path.join(dir, "cdktf-outputs.json");
    // The shape cdktf 0.21 writes with --outputs-file: outputs nested under the stack's name.
    writeFileSync(
      outputsFile,
      JSON.stringify({
        "websocket-cloudfront": {
          site_url: `${server.url}/`,
          websocket_url: server.websocketUrl,
          management_endpoint: server.managementEndpoint,
          region: LOCAL_REGION,
          api_default_endpoint: endpoint.url,
        },
      }),
    );
    try {
      const { stdout } = await smokeCli("--outputs-file", outputsFile, "--timeout", "5");

      expect(stdout).toMatch(new RegExp(`url\\s+${server.url}/\\s+\\[cdktf-outputs.json site_url\\]`));
      expect(stdout).toMatch(/mapping key\s+websocket\s+\[cdktf-outputs.json websocket_url\]/);
      expect(stdout).toMatch(new RegExp(`signing region\\s+${LOCAL_REGION}\\s+\\[cdktf-outputs.json region\\]`));
      expect(stdout).toMatch(/default endpoint\s+ws:\/\/127.0.0.1:\d+\/Prod\s+\[cdktf-outputs.json api_default_endpoint\]/);
      expect(stdout).toMatch(/PASS\s+bypass/);
      expect(stdout).toMatch(/no check failed/);
    } finally {
      await endpoint.close();
    }
  }, 60_000);

  test("a --timeout beyond Node's timer limit is a usage error (exit 2), not a timer that fires at once", async () => {
    await expect(smokeCli("--url", server.url, "--timeout", "1e10")).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--timeout must be more than 0 and at most 2147483 seconds/),
    });
  });
});
