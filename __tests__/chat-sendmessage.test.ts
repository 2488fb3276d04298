import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyWebsocketEventV2, Context } from "aws-lambda";
import { type AddressInfo, createServer, type Server, type Socket } from "node:net";
import type { ClientTuning } from "../lambdas/base/clients";
import { deadlineReserve, INTEGRATION_TIMEOUT_MS } from "../lambdas/base/deadline";
import { MAX_DATA_BYTES } from "../lambdas/base/messages";
import { sendMessage } from "../lambdas/routes/sendmessage";
import { ManualClock } from "../tools/fakes/manual-clock";
import { chatDeps, FAST, type HarnessOptions, PATIENT, wsEvent } from "./support/chat-harness";
import { type LocalDynamo, startDynalite } from "../tools/fakes/dynalite";
import { FakeConnectionsApi } from "../tools/fakes/connections-api";
import { connectionIds, seedConnections } from "../tools/fakes/seed";

let dynamo: LocalDynamo;
let api: FakeConnectionsApi;
let tableName: string;
let tables = 0;

beforeAll(async () => {
  dynamo = await startDynalite();
  api = await FakeConnectionsApi.start({ mappingKey: "websocket" });
});
afterAll(async () => {
  await api.close();
  await dynamo.stop();
});
beforeEach(async () => {
  tables += 1;
  tableName = `connections-${tables}`;
  await dynamo.createConnectionsTable(tableName);
});

function deps(options: Partial<HarnessOptions> = {}) {
  return chatDeps({
    dynamoEndpoint: dynamo.endpoint,
    tableName,
    managementEndpoint: api.endpoint,
    managementTuning: PATIENT,
    dynamoTuning: PATIENT,
    deadlineReserve: reserve,
    ...options,
  });
}

async function stored(id: string): Promise<boolean> {
  const { Item } = await dynamo.client.send(new GetItemCommand({ TableName: tableName, Key: { connectionId: { S: id } } }));
  return Item !== undefined;
}

const hello = JSON.stringify({ action: "sendmessage", data: "hello world" });

/** The harness's default reserve (matched to its FAST client tuning). */
const reserve = deadlineReserve(FAST);

/** `event` as if API Gateway had received it long enough ago that new posts must stop `stopInMs` from now. */
function stoppingIn(event: APIGatewayProxyWebsocketEventV2, stopInMs: number): APIGatewayProxyWebsocketEventV2 {
  const age = INTEGRATION_TIMEOUT_MS - reserve.returnMs - reserve.answerMs - reserve.drainMs - stopInMs;
  return { ...event, requestContext: { ...event.requestContext, requestTimeEpoch: Date.now() - age } };
}

describe("sendmessage", () => {
  test("R9 delivers the raw data to every connection across several 1 MB scan pages", async () => {
    // GIVEN 60 connections of ~60 KB each: over 3.5 MB, so DynamoDB's 1 MB pages split the scan
    // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.Pagination)
    const ids = connectionIds(60, "page");
    await seedConnections(dynamo.client, tableName, ids, api, 60_000);
    // A clock held still: the 29 s deadline cannot come however slow the machine is.
    const d = deps({ clock: new ManualClock() });
    // WHEN the first one broadcasts
    const result = await sendMessage(d, wsEvent("sendmessage", ids[0], hello));
    // THEN everyone, the sender included, got exactly "hello world", read in more than one page
    expect(result).toMatchObject({ statusCode: 200 });
    expect(d.counters.scans).toBeGreaterThanOrEqual(4);
    for (const id of ids) expect(api.received(id)).toEqual(["hello world"]);
    expect(d.logs.withMessage("broadcast")).toEqual([expect.objectContaining({ delivered: 60, pruned: 0, failed: 0, connectionId: ids[0] })]);
  }, 120_000);

  test("streams small pages with at most fanoutConcurrency posts in flight", async () => {
    // 240 connections read 20 at a time: 12 pages
    const ids = connectionIds(240, "bounded");
    await seedConnections(dynamo.client, tableName, ids, api);
    const d = deps({ scanPageSize: 20, fanoutConcurrency: 8, clock: new ManualClock() });
    const result = await sendMessage(d, wsEvent("sendmessage", ids[7], JSON.stringify({ action: "sendmessage", data: "bounded" })));
    expect(result).toMatchObject({ statusCode: 200 });
    expect(d.counters.scans).toBeGreaterThanOrEqual(12);
    expect(d.counters.maxPostsInFlight).toBe(8);
    expect(ids.filter((id) => api.received(id).join() !== "bounded")).toEqual([]);
  }, 120_000);

  test("R9 a recipient that answers 410 Gone is deleted, and only that recipient", async () => {
    const ids = connectionIds(5, "stale");
    await seedConnections(dynamo.client, tableName, ids, api);
    const [sender, gone, ...others] = ids;
    api.drop(gone);
    const d = deps();
    const result = await sendMessage(d, wsEvent("sendmessage", sender, hello));
    expect(result).toMatchObject({ statusCode: 200 });
    expect(await stored(gone)).toBe(false);
    expect(await stored(sender)).toBe(true);
    for (const id of others) expect(await stored(id)).toBe(true);
    expect(d.logs.withMessage("broadcast")).toEqual([expect.objectContaining({ delivered: 4, pruned: 1, failed: 0 })]);
    // A stale recipient is not the sender's problem: no error answer
    expect(api.received(sender)).toEqual(["hello world"]);
  });

  test("one failing recipient does not stop the others; the sender is told", async () => {
    const ids = connectionIds(200, "partial");
    await seedConnections(dynamo.client, tableName, ids, api);
    const broken = ids[123];
    api.breakConnection(broken, 500, "InternalServerError");
    const d = deps({ managementTuning: { ...PATIENT, maxAttempts: 1 } });
    const result = await sendMessage(d, wsEvent("sendmessage", ids[0], hello));
    api.heal(broken);
    expect(result).toMatchObject({ statusCode: 502 });
    expect(ids.filter((id) => id !== broken && api.received(id)[0] !== "hello world")).toEqual([]);
    expect(api.received(broken)).toEqual([]);
    expect(await stored(broken)).toBe(true);
    expect(JSON.parse(api.received(ids[0])[1])).toEqual({ type: "error", code: "PARTIAL_DELIVERY", message: expect.stringMatching(/199 .*1 could not/) });
    expect(d.logs.withMessage("broadcast partly failed")).toEqual([
      expect.objectContaining({ level: "WARN", delivered: 199, pruned: 0, failed: 1, failures: { InternalServerError: 1 } }),
    ]);
  });

  test("throttling (429 LimitExceededException) is retried by the SDK's retry strategy", async () => {
    const ids = connectionIds(3, "throttle");
    await seedConnections(dynamo.client, tableName, ids, api);
    api.throttle(ids[1], 2);
    const d = deps({ managementTuning: { ...PATIENT, maxAttempts: 3 } });
    const result = await sendMessage(d, wsEvent("sendmessage", ids[0], hello));
    expect(result).toMatchObject({ statusCode: 200 });
    expect(api.received(ids[1])).toEqual(["hello world"]);
    expect(api.requests.filter((r) => r.connectionId === ids[1] && r.method === "POST")).toHaveLength(3);
  });

  test("throttling beyond maxAttempts counts as one failure, bounded", async () => {
    const ids = connectionIds(3, "throttled-out");
    await seedConnections(dynamo.client, tableName, ids, api);
    api.throttle(ids[2], 10);
    const d = deps({ managementTuning: PATIENT });
    const result = await sendMessage(d, wsEvent("sendmessage", ids[0], hello));
    api.heal(ids[2]);
    expect(result).toMatchObject({ statusCode: 502 });
    expect(api.requests.filter((r) => r.connectionId === ids[2])).toHaveLength(2);
    expect(d.logs.withMessage("broadcast partly failed")).toEqual([expect.objectContaining({ failures: { LimitExceededException: 1 } })]);
  });

  test("R10 R11 posts SigV4-signed to <endpoint>/@connections/<url-encoded id>, never domainName/stage", async () => {
    const ids = ["L0SM9cOFvHcCIhw=", "a+b/c=="];
    await seedConnections(dynamo.client, tableName, ids, api);
    const before = api.requests.length;
    await sendMessage(deps(), wsEvent("sendmessage", ids[0], hello));
    const requests = api.requests.slice(before);
    expect(requests.map((r) => r.connectionId).sort()).toEqual([...ids].sort());
    for (const r of requests) {
      expect(r.path).toMatch(/^\/websocket\/(@|%40)connections\/[^/]+$/);
      expect(r.path).toContain(encodeURIComponent(r.connectionId));
      expect(r.headers.host).toBe(new URL(api.endpoint).host);
      expect(r.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDLOCALDEV\/\d{8}\/ap-northeast-1\/execute-api\/aws4_request, SignedHeaders=[^ ]*\bhost\b/,
      );
    }
    expect(api.unsigned).toEqual([]);
  });

  test("logs no message contents at info level", async () => {
    const ids = connectionIds(2, "quiet");
    await seedConnections(dynamo.client, tableName, ids, api);
    const d = deps();
    await sendMessage(d, wsEvent("sendmessage", ids[0], JSON.stringify({ action: "sendmessage", data: "secret-words" })));
    expect(d.logs.lines).toHaveLength(1);
    expect(JSON.stringify(d.logs.lines)).not.toContain("secret-words");
    expect(d.logs.lines[0]).toMatchObject({ level: "INFO", requestId: expect.any(String), connectionId: ids[0], bytes: 12 });
  });

  describe("bad input gets an error answer, and nobody else gets anything", () => {
    const cases: [string, string | undefined, string][] = [
      ["a body that is not JSON", "hello world", "INVALID_JSON"],
      ["an empty body", undefined, "INVALID_JSON"],
      ["a JSON array", "[1,2]", "INVALID_JSON"],
      ["missing data", JSON.stringify({ action: "sendmessage" }), "INVALID_DATA"],
      ["data that is a number", JSON.stringify({ action: "sendmessage", data: 42 }), "INVALID_DATA"],
      ["data that is an object", JSON.stringify({ action: "sendmessage", data: { text: "hi" } }), "INVALID_DATA"],
      ["data over 32 KiB of UTF-8", JSON.stringify({ action: "sendmessage", data: "é".repeat(MAX_DATA_BYTES / 2 + 1) }), "MESSAGE_TOO_LARGE"],
      ["a body over 128 KiB", JSON.stringify({ action: "sendmessage", data: "x".repeat(130 * 1024) }), "MESSAGE_TOO_LARGE"],
      ["an unknown action", JSON.stringify({ action: "shout", data: "hi" }), "UNKNOWN_ACTION"],
    ];
    test.each(cases)("%s", async (_name, body, code) => {
      const ids = connectionIds(3, `bad${tables}-`);
      await seedConnections(dynamo.client, tableName, ids, api);
      const d = deps();
      const result = await sendMessage(d, wsEvent("sendmessage", ids[0], body));
      expect(result).toMatchObject({ statusCode: 400 });
      const answers = api.received(ids[0]).map((m) => JSON.parse(m) as unknown);
      expect(answers).toEqual([{ type: "error", code, message: expect.any(String) }]);
      expect(api.received(ids[1])).toEqual([]);
      expect(api.received(ids[2])).toEqual([]);
      expect(d.logs.lines).toEqual([expect.objectContaining({ level: "WARN", message: "message rejected", code, connectionId: ids[0] })]);
    });

    test("data of exactly 32 KiB is accepted", async () => {
      const ids = connectionIds(2, "edge");
      await seedConnections(dynamo.client, tableName, ids, api);
      const data = "y".repeat(MAX_DATA_BYTES);
      const result = await sendMessage(deps(), wsEvent("sendmessage", ids[0], JSON.stringify({ action: "sendmessage", data })));
      expect(result).toMatchObject({ statusCode: 200 });
      expect(api.received(ids[1])).toEqual([data]);
    });

    test("a base64 binary frame is decoded before parsing", async () => {
      const ids = connectionIds(2, "binary");
      await seedConnections(dynamo.client, tableName, ids, api);
      const event = { ...wsEvent("sendmessage", ids[0], Buffer.from(hello).toString("base64")), isBase64Encoded: true };
      expect(await sendMessage(deps(), event)).toMatchObject({ statusCode: 200 });
      expect(api.received(ids[1])).toEqual(["hello world"]);
    });
  });

  describe("DynamoDB down", () => {
    let blackHole: Server;
    const held: Socket[] = [];
    beforeAll(async () => {
      // Accepts TCP and never answers: the worst kind of down.
      blackHole = createServer((socket) => void held.push(socket));
      await new Promise<void>((resolve) => blackHole.listen(0, "127.0.0.1", resolve));
    });
    /** Deps whose DynamoDB is the black hole, with the client tuned by `dynamoTuning`. */
    const silentDynamo = (dynamoTuning: ClientTuning) =>
      deps({ dynamoEndpoint: `http://127.0.0.1:${(blackHole.address() as AddressInfo).port}`, dynamoTuning });
    afterAll(async () => {
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => blackHole.close(() => resolve()));
    });

    test("a refused connection answers 500 and tells the sender, at once", async () => {
      const sender = "down-sender=";
      api.connect(sender);
      const d = deps({ dynamoEndpoint: "http://127.0.0.1:9" });
      const started = Date.now();
      const result = await sendMessage(d, wsEvent("sendmessage", sender, hello));
      expect(Date.now() - started).toBeLessThan(3000);
      expect(result).toMatchObject({ statusCode: 500 });
      expect(JSON.parse(api.received(sender)[0])).toMatchObject({ type: "error", code: "INTERNAL_ERROR" });
      expect(d.logs.withMessage("broadcast aborted")).toEqual([expect.objectContaining({ level: "ERROR", delivered: 0, connectionId: sender })]);
    });

    test("a server that never answers times out within the configured bounds", async () => {
      const sender = "hang-sender=";
      api.connect(sender);
      const d = silentDynamo({ maxAttempts: 2, connectionTimeoutMs: 200, requestTimeoutMs: 400 });
      const started = Date.now();
      const result = await sendMessage(d, wsEvent("sendmessage", sender, hello));
      expect(Date.now() - started).toBeLessThan(4000);
      expect(result).toMatchObject({ statusCode: 500 });
      expect(JSON.parse(api.received(sender)[0])).toMatchObject({ type: "error", code: "INTERNAL_ERROR" });
    });

    test("a scan page that hangs past the deadline is not waited for", async () => {
      // GIVEN a DynamoDB that never answers, with patient timeouts, and 300 ms left to start posts
      const sender = "scan-hang-sender=";
      api.connect(sender);
      const d = silentDynamo({ maxAttempts: 1, connectionTimeoutMs: 5000, requestTimeoutMs: 10_000 });
      const started = Date.now();
      const result = await sendMessage(d, stoppingIn(wsEvent("sendmessage", sender, hello), 300));
      // THEN it stopped at the deadline, not at the 10 s timeout, and the sender knows nothing was delivered
      expect(Date.now() - started).toBeLessThan(1500);
      expect(result).toMatchObject({ statusCode: 504 });
      expect(JSON.parse(api.received(sender)[0])).toMatchObject({ code: "TIME_LIMIT", message: expect.stringContaining("after delivering to 0 connections") });
      expect(d.logs.withMessage("broadcast cut short")).toEqual([expect.objectContaining({ level: "ERROR", delivered: 0 })]);
    });
  });
});

describe("sendmessage near API Gateway's 29 s integration timeout", () => {
  test("stops starting posts at its deadline, tells the sender how many got it, logs ERROR 'broadcast cut short'", async () => {
    // GIVEN 300 recipients that each take 100 ms to answer, 4 at a time (7.5 s for all), and 1.5 s left to start posts
    // (room for a busy machine's first scan page, still far too little for everyone)
    const ids = connectionIds(300, "late");
    await seedConnections(dynamo.client, tableName, ids, api);
    api.slowDown("*", 100);
    const d = deps({ fanoutConcurrency: 4 });
    const started = Date.now();
    // WHEN one of them broadcasts
    const result = await sendMessage(d, stoppingIn(wsEvent("sendmessage", ids[0], hello), 1500));
    api.heal("*");
    // THEN it returned before the time limit with a part of the recipients served, every started post finished
    expect(Date.now() - started).toBeLessThan(1500 + reserve.drainMs + reserve.answerMs);
    expect(result).toMatchObject({ statusCode: 504 });
    const reached = ids.filter((id) => api.received(id).includes("hello world"));
    expect(reached.length).toBeGreaterThan(0);
    expect(reached.length).toBeLessThan(ids.length);
    const [summary] = d.logs.withMessage("broadcast cut short");
    expect(summary).toMatchObject({ level: "ERROR", delivered: reached.length, failed: 0, deadline: "api-gateway", reply: "sent", connectionId: ids[0] });
    // AND the sender's last message says so, with the count
    const answer = JSON.parse(api.received(ids[0]).at(-1)!) as { code: string; message: string };
    expect(answer).toEqual({ type: "error", code: "TIME_LIMIT", message: expect.stringContaining(`after delivering to ${reached.length} connections`) });
  });

  test("posts still in flight are aborted at the function's own deadline, retries included", async () => {
    // GIVEN a recipient that answers after 10 s, a client that would wait 5 s per attempt for 4 attempts,
    // and a Lambda context with 1.6 s left (sooner than API Gateway's limit)
    const [sender, ok, slow] = connectionIds(3, "stuck");
    await seedConnections(dynamo.client, tableName, [sender, ok, slow], api);
    api.slowDown(slow, 10_000);
    const d = deps({
      managementTuning: { maxAttempts: 4, connectionTimeoutMs: 300, requestTimeoutMs: 5000 },
      deadlineReserve: { drainMs: 300, answerMs: 1000, returnMs: 100 },
    });
    const context = { getRemainingTimeInMillis: () => 1600 } as Context;
    const started = Date.now();
    const result = await sendMessage(d, wsEvent("sendmessage", sender, hello), context);
    api.heal(slow);
    // THEN the slow post was cut at ~0.5 s, not retried, and counted; the others were served
    expect(Date.now() - started).toBeLessThan(1500);
    expect(result).toMatchObject({ statusCode: 502 });
    expect(api.requests.filter((r) => r.connectionId === slow)).toHaveLength(1);
    expect(api.received(ok)).toEqual(["hello world"]);
    expect(d.logs.withMessage("broadcast partly failed")).toEqual([
      expect.objectContaining({ level: "WARN", delivered: 2, failed: 1, failures: { AbortError: 1 } }),
    ]);
    expect(JSON.parse(api.received(sender).at(-1)!)).toMatchObject({ code: "PARTIAL_DELIVERY" });
  });

  test("a broadcast where every post failed is an ERROR line, and the sender is told", async () => {
    // GIVEN recipients that all fail, and a sender whose own row is missing (so its answer can arrive)
    const recipients = connectionIds(3, "allfail");
    await seedConnections(dynamo.client, tableName, recipients, api);
    for (const id of recipients) api.breakConnection(id);
    const sender = "allfail-sender=";
    api.connect(sender);
    const d = deps({ managementTuning: { ...PATIENT, maxAttempts: 1 } });
    const result = await sendMessage(d, wsEvent("sendmessage", sender, hello));
    for (const id of recipients) api.heal(id);
    expect(result).toMatchObject({ statusCode: 502 });
    expect(d.logs.lines).toEqual([
      expect.objectContaining({ level: "ERROR", message: "broadcast failed", delivered: 0, failed: 3, failures: { InternalServerError: 3 }, reply: "sent" }),
    ]);
    expect(JSON.parse(api.received(sender)[0])).toEqual({
      type: "error",
      code: "DELIVERY_FAILED",
      message: expect.stringMatching(/no connection; 3 could not/),
    });
  });
});
