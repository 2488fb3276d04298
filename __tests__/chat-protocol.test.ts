import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { CHAT_PROTOCOL_V1, CHAT_PROTOCOL_V2 } from "../lambdas/contract/auth-subprotocol";
import { LOCAL_CREDENTIALS } from "../tools/fakes/local-aws";
import { useLocalGateway } from "./support/local-gateway";
import { eventually, TestClient } from "./support/ws-client";

const gateway = useLocalGateway();

// Every wait below has its own deadline (5 s); Jest's default 5 s is not one of them.
jest.setTimeout(60_000);

/** Opens a client offering `protocols` and learns its connection id from `$default`. */
async function open(protocols?: string[]): Promise<{ client: TestClient; id: string }> {
  const client = await TestClient.open(gateway.server.websocketUrl, protocols);
  gateway.clients.push(client);
  client.send("who am I?");
  const usage = JSON.parse(await client.next((t) => t.includes('"usage"'))) as { connectionId: string };
  return { client, id: usage.connectionId };
}

/** The `protocol` attribute of each stored row, by connection id. */
async function storedProtocols(): Promise<Record<string, string | undefined>> {
  const db = new DynamoDBClient({ endpoint: gateway.server.dynamodb.endpoint, region: gateway.server.region, credentials: LOCAL_CREDENTIALS });
  try {
    const rows = await db.send(new ScanCommand({ TableName: gateway.server.dynamodb.tableName, ConsistentRead: true }));
    return Object.fromEntries((rows.Items ?? []).map((item) => [item.connectionId?.S ?? "", item.protocol?.S]));
  } finally {
    db.destroy();
  }
}

describe("the chat protocol's versions, negotiated as subprotocols", () => {
  test("$connect selects the newest version offered and stores it on the row; a client that offers none is stored without one", async () => {
    const both = await open([CHAT_PROTOCOL_V1, CHAT_PROTOCOL_V2]);
    const v1 = await open([CHAT_PROTOCOL_V1]);
    const none = await open();
    expect([both.client.socket.protocol, v1.client.socket.protocol, none.client.socket.protocol]).toEqual([CHAT_PROTOCOL_V2, CHAT_PROTOCOL_V1, ""]);
    const protocols = await storedProtocols();
    expect([protocols[both.id], protocols[v1.id], protocols[none.id]]).toEqual([CHAT_PROTOCOL_V2, CHAT_PROTOCOL_V1, undefined]);
  });

  test("one broadcast, per recipient: version 2 gets a typed chat frame naming the sender, version 1 and wscat the plain text that was sent", async () => {
    const v2 = await open([CHAT_PROTOCOL_V2]);
    const v1 = await open([CHAT_PROTOCOL_V1]);
    const wscat = await open();
    const text = '{"type":"error","code":"INTERNAL_ERROR","message":"Session expired"}';
    wscat.client.send(JSON.stringify({ action: "sendmessage", data: text }));
    const frame = JSON.parse(await v2.client.next((t) => t.includes('"chat"'))) as unknown;
    expect(frame).toEqual({ type: "chat", from: { connectionId: wscat.id }, data: text });
    await expect(v1.client.next((t) => t === text)).resolves.toBe(text);
    await expect(wscat.client.next((t) => t === text)).resolves.toBe(text);
    await eventually(() => v2.client.received.length === 0, 500, "nothing else reached version 2");
  });
});
