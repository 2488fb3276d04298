import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2, Context } from "aws-lambda";
import { forEachBounded } from "../lambdas/base/bounded";
import { MANAGEMENT_TUNING } from "../lambdas/base/clients";
import { broadcastDeadlines, deadlineReserve } from "../lambdas/base/deadline";
import { readSettings } from "../lambdas/contract/settings";
import { wsEvent } from "./support/chat-harness";
import { useChatPeers } from "./support/chat-peers";

type Handler = (event: APIGatewayProxyWebsocketEventV2, context?: Context) => Promise<APIGatewayProxyResultV2>;

describe("entry files (the contract the stack and the local dev server rely on)", () => {
  const peers = useChatPeers();
  const saved = { ...process.env };
  let tableName: string;

  beforeAll(async () => {
    tableName = await peers.freshTable();
    // Powertools writes its log and EMF lines straight to stdout, past Jest's console: neither may leak into the test output.
    Object.assign(process.env, { ...peers.environment(tableName), POWERTOOLS_LOG_LEVEL: "SILENT", POWERTOOLS_METRICS_DISABLED: "true" });
  });
  afterAll(() => {
    process.env = saved;
  });

  function load(name: string): Handler {
    let handler: Handler | undefined;
    jest.isolateModules(() => {
      handler = (require(`../lambdas/${name}`) as { handler: Handler }).handler;
    });
    return handler as Handler;
  }

  test("R9 R10 connect, sendmessage, $default and disconnect work from env alone", async () => {
    const [connect, sendmessage, fallback, disconnect] = ["connect", "sendmessage", "default", "disconnect"].map(load);
    for (const id of ["entry-1=", "entry-2="]) {
      peers.api.connect(id);
      expect(await connect(wsEvent("$connect", id, undefined, "CONNECT"), {} as Context)).toMatchObject({ statusCode: 200 });
    }
    const stored = await peers.dynamo.client.send(new GetItemCommand({ TableName: tableName, Key: { connectionId: { S: "entry-1=" } } }));
    expect(stored.Item?.connectionId).toEqual({ S: "entry-1=" });

    expect(await sendmessage(wsEvent("sendmessage", "entry-1=", '{"action":"sendmessage","data":"hello world"}'))).toMatchObject({ statusCode: 200 });
    expect(peers.api.received("entry-2=")).toEqual(["hello world"]);

    await fallback(wsEvent("$default", "entry-2=", "hi"));
    expect(JSON.parse(peers.api.received("entry-2=")[1])).toMatchObject({ type: "usage", connectionId: "entry-2=" });

    expect(await disconnect(wsEvent("$disconnect", "entry-1=", undefined, "DISCONNECT"))).toMatchObject({ statusCode: 200 });
    const gone = await peers.dynamo.client.send(new GetItemCommand({ TableName: tableName, Key: { connectionId: { S: "entry-1=" } } }));
    expect(gone.Item).toBeUndefined();
    expect(peers.api.unsigned).toEqual([]);
  });

  test("the Lambda context reaches the logic: with 3.6 s left, sendmessage starts no post and answers TIME_LIMIT", async () => {
    const [connect, sendmessage] = ["connect", "sendmessage"].map(load);
    peers.api.connect("entry-late=");
    await connect(wsEvent("$connect", "entry-late=", undefined, "CONNECT"));
    const before = peers.api.delivered;
    // 3.6 s = the 3 s answer window + 0.5 s to return + 0.1 s: the time to start posts is already over
    const context = { functionName: "sendmessage", getRemainingTimeInMillis: () => 3600 } as Context;
    const result = await sendmessage(wsEvent("sendmessage", "entry-late=", '{"action":"sendmessage","data":"too late"}'), context);
    expect(result).toMatchObject({ statusCode: 504 });
    expect(peers.api.delivered - before).toBe(1);
    expect(JSON.parse(peers.api.received("entry-late=")[0])).toMatchObject({ type: "error", code: "TIME_LIMIT" });
  });

  test("a bad setting fails the cold start with a message naming it", () => {
    process.env.FANOUT_CONCURRENCY = "lots";
    try {
      expect(() => load("sendmessage")).toThrow(/FANOUT_CONCURRENCY is "lots": expected an integer from 1 to 256/);
    } finally {
      delete process.env.FANOUT_CONCURRENCY;
    }
  });
});

describe("readSettings", () => {
  test("reads the three variables and trims a trailing slash", () => {
    expect(readSettings({ CONNECTIONS_TABLE: "t", MANAGEMENT_ENDPOINT: "https://chat.example.com/websocket/", FANOUT_CONCURRENCY: "64" })).toEqual({
      tableName: "t",
      managementEndpoint: "https://chat.example.com/websocket",
      fanoutConcurrency: 64,
    });
  });

  test("defaults FANOUT_CONCURRENCY to 50, the client's sockets per host", () => {
    expect(readSettings({ CONNECTIONS_TABLE: "t", MANAGEMENT_ENDPOINT: "http://127.0.0.1:8080/websocket" }).fanoutConcurrency).toBe(50);
  });

  test("reports every problem at once", () => {
    expect(() => readSettings({ MANAGEMENT_ENDPOINT: "chat.example.com", FANOUT_CONCURRENCY: "0" })).toThrow(
      /CONNECTIONS_TABLE is empty or unset[\s\S]*MANAGEMENT_ENDPOINT is "chat.example.com"[\s\S]*FANOUT_CONCURRENCY is "0"/,
    );
  });
});

describe("forEachBounded", () => {
  async function* numbers(count: number) {
    for (let i = 0; i < count; i += 1) yield i;
  }

  test("never runs more than the limit at once and runs every item", async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachBounded(numbers(100), 5, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, n % 3));
      seen.push(n);
      running -= 1;
    });
    expect(peak).toBe(5);
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(100).keys()]);
  });

  test("a failing item does not stop the others; the error surfaces after all settle", async () => {
    const seen: number[] = [];
    await expect(
      forEachBounded(numbers(10), 3, async (n) => {
        if (n === 2) throw new Error("item 2");
        seen.push(n);
      }),
    ).rejects.toThrow("item 2");
    expect(seen).toHaveLength(9);
  });

  test("an aborted signal stops new items; started ones finish; the outcome is 'stopped'", async () => {
    const stop = new AbortController();
    let started = 0;
    let finished = 0;
    const outcome = await forEachBounded(
      numbers(100),
      3,
      async () => {
        started += 1;
        if (started === 5) stop.abort();
        await new Promise((resolve) => setTimeout(resolve, 5));
        finished += 1;
      },
      { signal: stop.signal },
    );
    expect(outcome).toBe("stopped");
    expect(started).toBe(5);
    expect(finished).toBe(started);
  });

  test("a worker waiting on a source that never yields stops waiting when the signal aborts", async () => {
    async function* stalls() {
      yield 1;
      await new Promise(() => undefined);
    }
    const seen: number[] = [];
    const outcome = await forEachBounded(stalls(), 2, async (n) => void seen.push(n), { signal: AbortSignal.timeout(50) });
    expect(outcome).toBe("stopped");
    expect(seen).toEqual([1]);
  });

  test("without an abort the outcome is 'finished'", async () => {
    expect(await forEachBounded(numbers(3), 2, async () => undefined, { signal: new AbortController().signal })).toBe("finished");
  });
});

describe("broadcastDeadlines", () => {
  const reserve = deadlineReserve(MANAGEMENT_TUNING);
  const now = 1_800_000_000_000;

  test("the reserve is one request timeout to drain, one to answer, and 500 ms to return: 6.5 s", () => {
    expect(reserve).toEqual({ drainMs: 3000, answerMs: 3000, returnMs: 500 });
  });

  test("counts back from API Gateway's 29 s, from when it received the message", () => {
    // Received 2 s ago (a cold start), the function has 30 s left: API Gateway's limit comes first
    expect(broadcastDeadlines({ now, requestTimeEpoch: now - 2000, remainingTimeMs: 30_000 }, reserve)).toEqual({
      stopStarting: now - 2000 + 22_500,
      abortInFlight: now - 2000 + 25_500,
      answerBy: now - 2000 + 28_500,
      source: "api-gateway",
    });
  });

  test("counts back from the function's own timeout when that ends first", () => {
    expect(broadcastDeadlines({ now, requestTimeEpoch: now, remainingTimeMs: 10_000 }, reserve)).toEqual({
      stopStarting: now + 3500,
      abortInFlight: now + 6500,
      answerBy: now + 9500,
      source: "lambda",
    });
  });

  test("without a Lambda context, API Gateway's limit alone", () => {
    expect(broadcastDeadlines({ now, requestTimeEpoch: now }, reserve).stopStarting).toBe(now + 22_500);
  });
});
