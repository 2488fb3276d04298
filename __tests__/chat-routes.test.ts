import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import type { Context } from "aws-lambda";
import { MANAGEMENT_TUNING } from "../lambdas/base/clients";
import { connect } from "../lambdas/routes/connect";
import { defaultRoute } from "../lambdas/routes/default-route";
import { disconnect } from "../lambdas/routes/disconnect";
import { CONNECTION_TTL_SECONDS } from "../lambdas/base/store";
import { ManualClock } from "../tools/fakes/manual-clock";
import { chatDeps, type HarnessOptions, wsEvent } from "./support/chat-harness";
import { type LocalDynamo, startDynalite } from "../tools/fakes/dynalite";
import { FakeConnectionsApi } from "../tools/fakes/connections-api";

let dynamo: LocalDynamo;
let api: FakeConnectionsApi;
const tableName = "connections";

beforeAll(async () => {
  dynamo = await startDynalite();
  await dynamo.createConnectionsTable(tableName);
  api = await FakeConnectionsApi.start();
});
afterAll(async () => {
  await api.close();
  await dynamo.stop();
});

function deps(options: Partial<HarnessOptions> = {}) {
  return chatDeps({ dynamoEndpoint: dynamo.endpoint, tableName, managementEndpoint: api.endpoint, ...options });
}

async function item(id: string) {
  return (await dynamo.client.send(new GetItemCommand({ TableName: tableName, Key: { connectionId: { S: id } } }))).Item;
}

describe("$connect", () => {
  test("R9 stores the id with connectedAt and a TTL just past API Gateway's 2-hour limit", async () => {
    const now = new Date("2026-11-25T10:00:00Z");
    const d = deps({ clock: new ManualClock(now.getTime()) });
    const result = await connect(d, wsEvent("$connect", "conn-A=", undefined, "CONNECT"));
    expect(result).toMatchObject({ statusCode: 200 });
    expect(await item("conn-A=")).toEqual({
      connectionId: { S: "conn-A=" },
      connectedAt: { S: "2026-11-25T10:00:00.000Z" },
      expiresAt: { N: String(now.getTime() / 1000 + CONNECTION_TTL_SECONDS) },
    });
    expect(CONNECTION_TTL_SECONDS).toBeGreaterThan(2 * 60 * 60);
    expect(CONNECTION_TTL_SECONDS).toBeLessThanOrEqual(3 * 60 * 60);
    expect(d.logs.lines).toEqual([expect.objectContaining({ level: "INFO", message: "connected", connectionId: "conn-A=", requestId: expect.any(String) })]);
  });

  test("never posts to the connection (the socket is not open yet)", async () => {
    const before = api.requests.length;
    await connect(deps(), wsEvent("$connect", "conn-B=", undefined, "CONNECT"));
    expect(api.requests.length).toBe(before);
  });

  test("answers 500 with one error line when DynamoDB is down", async () => {
    const d = deps({ dynamoEndpoint: "http://127.0.0.1:9" });
    const started = Date.now();
    const result = await connect(d, wsEvent("$connect", "conn-C=", undefined, "CONNECT"));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result).toMatchObject({ statusCode: 500 });
    expect(d.logs.lines).toEqual([expect.objectContaining({ level: "ERROR", message: "connect failed", connectionId: "conn-C=" })]);
  });
});

describe("$disconnect", () => {
  test("R9 deletes the id", async () => {
    await connect(deps(), wsEvent("$connect", "conn-D=", undefined, "CONNECT"));
    const result = await disconnect(deps(), wsEvent("$disconnect", "conn-D=", undefined, "DISCONNECT"));
    expect(result).toMatchObject({ statusCode: 200 });
    expect(await item("conn-D=")).toBeUndefined();
  });

  test("an unknown id is fine (idempotent)", async () => {
    const d = deps();
    const result = await disconnect(d, wsEvent("$disconnect", "never-seen=", undefined, "DISCONNECT"));
    expect(result).toMatchObject({ statusCode: 200 });
    expect(d.logs.lines).toEqual([expect.objectContaining({ message: "disconnected", connectionId: "never-seen=" })]);
  });

  test("answers 500 with one error line when DynamoDB is down", async () => {
    const d = deps({ dynamoEndpoint: "http://127.0.0.1:9" });
    const result = await disconnect(d, wsEvent("$disconnect", "conn-E=", undefined, "DISCONNECT"));
    expect(result).toMatchObject({ statusCode: 500 });
    expect(d.logs.lines).toEqual([expect.objectContaining({ level: "ERROR", message: "disconnect failed" })]);
  });
});

describe("$default", () => {
  const cases: [string, string | undefined, RegExp][] = [
    ["no body", undefined, /^Send \{"action":"sendmessage","data":"hello world"\}/],
    ["a body that is not JSON", "hello", /^The message is not JSON\. Send /],
    ["JSON without an action", JSON.stringify({ data: "x" }), /^The message has no "action"\. Send /],
    ["an unknown action", JSON.stringify({ action: "whoami" }), /^Unknown action "whoami"\. Send /],
  ];
  test.each(cases)("answers %s with the usage text and the caller's own id (R12)", async (_name, body, text) => {
    const id = `default-${_name.length}=`;
    api.connect(id);
    const d = deps();
    const result = await defaultRoute(d, wsEvent("$default", id, body));
    expect(result).toMatchObject({ statusCode: 200 });
    const answers = api.received(id).map((m) => JSON.parse(m) as unknown);
    expect(answers).toEqual([{ type: "usage", connectionId: id, text: expect.stringMatching(text) }]);
    expect((answers[0] as { text: string }).text).toContain(`Your connection id is ${id}.`);
    expect(d.logs.lines).toEqual([expect.objectContaining({ message: "usage sent", connectionId: id, reply: "sent" })]);
  });

  test("R10 answers through the configured endpoint, SigV4-signed, not domainName/stage", async () => {
    const id = "default-path=";
    api.connect(id);
    const before = api.requests.length;
    await defaultRoute(deps(), wsEvent("$default", id, "{}"));
    const [request] = api.requests.slice(before);
    expect(request).toMatchObject({ method: "POST", connectionId: id, headers: expect.objectContaining({ host: new URL(api.endpoint).host }) });
    expect(request.path).toMatch(/^\/websocket\/(@|%40)connections\/default-path%3D$/);
    expect(request.headers.authorization).toMatch(/Credential=[^/]+\/\d{8}\/ap-northeast-1\/execute-api\/aws4_request, SignedHeaders=[^ ]*\bhost\b/);
  });

  test("answers 500 with one error line when @connections fails", async () => {
    const id = "default-broken=";
    api.connect(id);
    api.breakConnection(id);
    const d = deps({ managementTuning: { maxAttempts: 1 } });
    const result = await defaultRoute(d, wsEvent("$default", id, "hi"));
    api.heal(id);
    expect(result).toMatchObject({ statusCode: 500 });
    expect(d.logs.lines).toEqual([expect.objectContaining({ level: "ERROR", reply: "failed:InternalServerError" })]);
  });

  test("a hung @connections peer: the answer is abandoned before the function's timeout, not after the client's 4 attempts of 3 s", async () => {
    const id = "default-hung=";
    api.connect(id);
    api.slowDown(id, 60_000);
    // The deployed client's tuning (4 attempts of 3 s each); the function has 3 s left.
    const d = deps({ managementTuning: MANAGEMENT_TUNING });
    const context = { getRemainingTimeInMillis: () => 3000 } as Context;
    const started = Date.now();
    const result = await defaultRoute(d, wsEvent("$default", id, "hi"), context);
    const elapsed = Date.now() - started;
    api.heal(id);
    expect(result).toMatchObject({ statusCode: 500 });
    // answerBy = the function's end less 0.5 s to log and return.
    expect(elapsed).toBeGreaterThanOrEqual(2400);
    expect(elapsed).toBeLessThan(3000);
    expect(d.logs.lines).toEqual([expect.objectContaining({ level: "ERROR", message: "usage not sent", reply: "failed:AbortError" })]);
  }, 60_000);
});
