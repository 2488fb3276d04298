import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { LOCAL_CREDENTIALS } from "../dev/local-credentials";
import { startDevServer, type DevServer } from "../dev/server";
import { runSmoke, type SmokeResult, type StepName } from "../dev/smoke/run-smoke";
import { QUIET_HANDLERS } from "./support/local-gateway";
import { startMisconfiguredProxy } from "./support/misconfigured-proxy";

let server: DevServer;

beforeAll(async () => {
  server = await startDevServer({ port: 0, handlerEnvironment: QUIET_HANDLERS });
});

afterAll(async () => {
  await server?.close();
});

const outcomes = (result: SmokeResult) => Object.fromEntries(result.steps.map((s) => [s.name, s.outcome]));
const stepNamed = (result: SmokeResult, name: StepName) => result.steps.find((s) => s.name === name)!;

describe("smoke command (npm run smoke)", () => {
  test("R11 R12 against the local gateway every check passes, each with its time", async () => {
    const result = await runSmoke({ url: server.url, credentials: LOCAL_CREDENTIALS, stepTimeoutMs: 5000 });

    expect(outcomes(result)).toEqual({
      site: "pass",
      connect: "pass",
      echo: "pass",
      whoami: "pass",
      status: "pass",
      post: "pass",
      delete: "pass",
    });
    expect(result.ok).toBe(true);
    expect(result.connectionId).toMatch(/^[A-Za-z0-9+/=_-]+$/);
    expect(result.websocketUrl).toBe(server.websocketUrl);
    expect(result.managementEndpoint).toBe(server.managementEndpoint);
    expect(result.steps.every((s) => Number.isInteger(s.ms) && s.ms >= 0)).toBe(true);
    expect(stepNamed(result, "delete").detail).toMatch(/1000/);
  });

  test("R4 through a proxy that drops Authorization, the @connections checks fail with the Missing Authentication Token hint", async () => {
    const proxy = await startMisconfiguredProxy(server.url, "strip-authorization");
    try {
      const result = await runSmoke({ url: proxy.url, credentials: LOCAL_CREDENTIALS, stepTimeoutMs: 5000 });

      expect(result.ok).toBe(false);
      expect(outcomes(result)).toMatchObject({ site: "pass", connect: "pass", echo: "pass", whoami: "pass", status: "fail" });
      const status = stepNamed(result, "status");
      expect(status.status).toBe(403);
      expect(status.detail).toMatch(/Missing Authentication Token/);
      expect(status.hint).toMatch(/forward Authorization/);
    } finally {
      await proxy.close();
    }
  });

  test("R6 through a viewer policy that redirects to HTTPS, the page and the socket fail with the 301 hint", async () => {
    const proxy = await startMisconfiguredProxy(server.url, "redirect-to-https");
    try {
      const result = await runSmoke({ url: proxy.url, credentials: LOCAL_CREDENTIALS, stepTimeoutMs: 5000 });

      expect(outcomes(result)).toEqual({
        site: "fail",
        connect: "fail",
        echo: "skip",
        whoami: "skip",
        status: "skip",
        post: "skip",
        delete: "skip",
      });
      expect(stepNamed(result, "connect")).toMatchObject({ status: 301, hint: expect.stringMatching(/redirect-to-https/) });
    } finally {
      await proxy.close();
    }
  });

  test("the CLI prints --json and exits 0 when all pass, 1 with the hint when one fails", async () => {
    const run = promisify(execFile);
    const good = await run(process.execPath, ["scripts/run-ts.mjs", "dev/smoke/cli.ts", "--url", server.url, "--json", "--timeout", "5"]);
    const parsed = JSON.parse(good.stdout) as SmokeResult;
    expect(parsed.ok).toBe(true);
    expect(parsed.steps).toHaveLength(7);

    const proxy = await startMisconfiguredProxy(server.url, "redirect-to-https");
    try {
      const bad = run(process.execPath, ["scripts/run-ts.mjs", "dev/smoke/cli.ts", "--url", proxy.url, "--timeout", "5"]);
      await expect(bad).rejects.toMatchObject({ code: 1, stdout: expect.stringMatching(/FAIL\s+connect[\s\S]*hint: redirected/) });
    } finally {
      await proxy.close();
    }
  }, 20_000);
});
