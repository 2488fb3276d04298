import { CHAT_SUBPROTOCOL } from "../lambdas/contract/auth-subprotocol";
import { MESSAGE_RATE_DEFAULTS, MESSAGE_RATE_ENV } from "../lambdas/contract/rate-settings";
import { startDevServer, type DevServer } from "../tools/gateway/server";
import { type LocalIssuer, startLocalIssuer } from "../tools/gateway/local-issuer";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { LOCAL_CREDENTIALS } from "../tools/fakes/local-aws";
import { storedConnectionIds } from "./support/local-gateway";
import { eventually, TestClient } from "./support/ws-client";

/** The text of a version 2 chat frame, or undefined for any other frame (the page speaks version 2, so these clients do too). */
function chatData(frame: string): string | undefined {
  const parsed = JSON.parse(frame) as { type?: unknown; data?: unknown };
  return parsed.type === "chat" && typeof parsed.data === "string" ? parsed.data : undefined;
}

/** The status the gateway refused a handshake with, or "open". */
async function handshake(url: string, protocols?: string[]): Promise<number | "open"> {
  try {
    const client = await TestClient.open(url, protocols);
    await client.close();
    return "open";
  } catch (error) {
    const status = /handshake answered (\d+)/.exec(String(error))?.[1];
    if (!status) throw error;
    return Number(status);
  }
}

// Every wait below has its own deadline (up to 15 s); Jest's default 5 s is not one of them.
jest.setTimeout(40_000);

describe("who may connect and how much they may send, end to end through the local gateway: the real authorizer on the upgrade, the token bucket in sendmessage", () => {
  let issuer: LocalIssuer;
  let server: DevServer;
  const clients: TestClient[] = [];
  /** Every line anyone logged: the gateway's own lines and the handlers' (stdout and stderr). */
  const logged: string[] = [];

  beforeAll(async () => {
    for (const stream of [process.stdout, process.stderr]) {
      jest.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => {
        logged.push(String(chunk));
        return true;
      });
    }
    issuer = await startLocalIssuer();
    server = await startDevServer({
      port: 0,
      authorizerEnvironment: issuer.environment,
      // Every handler line, so the test below can look for the token in all of them.
      // The default rate, set explicitly: another test file in this worker may have set it in process.env.
      handlerEnvironment: {
        POWERTOOLS_LOG_LEVEL: "DEBUG",
        // Its metrics are not what this test reads: no EMF lines in the test output.
        POWERTOOLS_METRICS_DISABLED: "true",
        [MESSAGE_RATE_ENV.perSecond]: String(MESSAGE_RATE_DEFAULTS.perSecond),
        [MESSAGE_RATE_ENV.burst]: String(MESSAGE_RATE_DEFAULTS.burst),
      },
      log: (line) => logged.push(line),
    });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await server.close();
    await issuer.close();
    jest.restoreAllMocks();
  });

  const open = async (subject: string) => {
    const client = await TestClient.open(server.websocketUrl, [CHAT_SUBPROTOCOL, await issuer.sign({ subject })]);
    clients.push(client);
    return client;
  };

  test("no token: the upgrade is refused with 401; a bad token with 403; neither reaches $connect", async () => {
    const before = await storedConnectionIds(server);
    expect(await handshake(server.websocketUrl)).toBe(401);
    expect(await handshake(server.websocketUrl, [CHAT_SUBPROTOCOL])).toBe(401);
    expect(await handshake(server.websocketUrl, [CHAT_SUBPROTOCOL, await issuer.sign({ audience: "other" })])).toBe(403);
    expect(await storedConnectionIds(server)).toEqual(before);
  });

  test("a valid token: the socket opens with the chat subprotocol (never the token), the row keeps the subject, chat works", async () => {
    const alice = await open("alice");
    const bob = await open("bob");
    expect(alice.socket.protocol).toBe(CHAT_SUBPROTOCOL);
    const db = new DynamoDBClient({ endpoint: server.dynamodb.endpoint, region: server.region, credentials: LOCAL_CREDENTIALS });
    const rows = await db.send(new ScanCommand({ TableName: server.dynamodb.tableName, ConsistentRead: true }));
    db.destroy();
    expect((rows.Items ?? []).map((item) => item.subject?.S)).toEqual(expect.arrayContaining(["alice", "bob"]));
    alice.socket.send(JSON.stringify({ action: "sendmessage", data: "hello bob" }));
    // Version 2 names the sender by the subject its token was verified with.
    for (const client of [bob, alice]) {
      expect(JSON.parse(await client.next((t) => chatData(t) === "hello bob"))).toMatchObject({ type: "chat", from: { subject: "alice" }, data: "hello bob" });
    }
  });

  test("a flooding client gets RATE_LIMITED past its burst of 20 while another chats undisturbed", async () => {
    const flooder = await open("flooder");
    const calm = await open("calm");
    for (let i = 0; i < 40; i++) flooder.socket.send(JSON.stringify({ action: "sendmessage", data: `flood ${i}` }));
    await eventually(() => flooder.received.filter((t) => t.includes('"RATE_LIMITED"')).length >= 15, 15_000, "RATE_LIMITED answers");
    calm.socket.send(JSON.stringify({ action: "sendmessage", data: "still here" }));
    expect(chatData(await calm.next((t) => chatData(t) === "still here", 10_000))).toBe("still here");
    await eventually(
      () => flooder.received.filter((t) => chatData(t)?.startsWith("flood ") || t.includes('"RATE_LIMITED"')).length === 40,
      15_000,
      "all 40 answered",
    );
    const delivered = calm.received.filter((t) => chatData(t)?.startsWith("flood "));
    const limited = flooder.received.filter((t) => t.includes('"RATE_LIMITED"'));
    // 20 at once, and at most a few more refilled (5 a second) while the flood lasted; nothing of a refused one is posted.
    expect(delivered.length).toBeGreaterThanOrEqual(20);
    expect(delivered.length + limited.length).toBe(40);
    expect(limited.length).toBeGreaterThanOrEqual(15);
    expect(JSON.parse(limited[0])).toMatchObject({ type: "error", code: "RATE_LIMITED" });
  });

  test("no log line holds a token: the gateway's, the authorizer's and the handlers' (at DEBUG)", async () => {
    const token = await issuer.sign({ subject: "secretive" });
    const client = await TestClient.open(server.websocketUrl, [CHAT_SUBPROTOCOL, token]);
    clients.push(client);
    client.socket.send(JSON.stringify({ action: "sendmessage", data: "x" }));
    await client.next((t) => chatData(t) === "x");
    const all = logged.join("\n");
    expect(all).toContain("connection authorized");
    expect(all).toContain("AUTHORIZE");
    // Any of the token's three parts would betray it (the signature above all).
    for (const part of token.split(".")) expect(all).not.toContain(part);
  });
});
