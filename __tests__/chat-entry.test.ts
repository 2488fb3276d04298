import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2, Context } from "aws-lambda";
import { forEachBounded } from "../lambdas/chat/bounded";
import { readSettings } from "../lambdas/settings";
import { wsEvent } from "./support/chat-harness";
import { LOCAL_AWS, type LocalDynamo, startDynalite } from "./support/dynamodb";
import { FakeConnectionsApi } from "./support/fake-connections-api";

type Handler = (event: APIGatewayProxyWebsocketEventV2, context?: Context) => Promise<APIGatewayProxyResultV2>;

describe("entry files (the contract the stack and the local dev server rely on)", () => {
  let dynamo: LocalDynamo;
  let api: FakeConnectionsApi;
  const saved = { ...process.env };

  beforeAll(async () => {
    dynamo = await startDynalite();
    await dynamo.createConnectionsTable("entry-connections");
    api = await FakeConnectionsApi.start({ mappingKey: "websocket" });
    Object.assign(process.env, {
      CONNECTIONS_TABLE: "entry-connections",
      MANAGEMENT_ENDPOINT: api.endpoint,
      AWS_REGION: LOCAL_AWS.region,
      AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
      // The SDK's own service-specific endpoint variable: no project-specific knob needed.
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      POWERTOOLS_LOG_LEVEL: "SILENT",
    });
  });
  afterAll(async () => {
    process.env = saved;
    await api.close();
    await dynamo.stop();
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
      api.connect(id);
      expect(await connect(wsEvent("$connect", id, undefined, "CONNECT"), {} as Context)).toMatchObject({ statusCode: 200 });
    }
    const stored = await dynamo.client.send(new GetItemCommand({ TableName: "entry-connections", Key: { connectionId: { S: "entry-1=" } } }));
    expect(stored.Item?.connectionId).toEqual({ S: "entry-1=" });

    expect(await sendmessage(wsEvent("sendmessage", "entry-1=", '{"action":"sendmessage","data":"hello world"}'))).toMatchObject({ statusCode: 200 });
    expect(api.received("entry-2=")).toEqual(["hello world"]);

    await fallback(wsEvent("$default", "entry-2=", "hi"));
    expect(JSON.parse(api.received("entry-2=")[1])).toMatchObject({ type: "usage", connectionId: "entry-2=" });

    expect(await disconnect(wsEvent("$disconnect", "entry-1=", undefined, "DISCONNECT"))).toMatchObject({ statusCode: 200 });
    const gone = await dynamo.client.send(new GetItemCommand({ TableName: "entry-connections", Key: { connectionId: { S: "entry-1=" } } }));
    expect(gone.Item).toBeUndefined();
    expect(api.unsigned).toEqual([]);
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
});
