import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { LOCAL_CREDENTIALS } from "../tools/fakes/local-aws";
import { openClient, useLocalGateway } from "./support/local-gateway";
import { eventually as until } from "./support/ws-client";
import type { TestClient } from "./support/ws-client";

const gateway = useLocalGateway();

// Every wait below has its own bound (TestClient.next: 5 s); Jest's default 5 s is not one of them.
jest.setTimeout(30_000);

const send = (client: TestClient, body: Record<string, unknown>) => client.send(JSON.stringify(body));
const ofType = (type: string, channel?: string) => (text: string) => {
  try {
    const frame = JSON.parse(text) as { type?: unknown; channel?: unknown };
    return frame.type === type && (channel === undefined || frame.channel === channel);
  } catch {
    return false;
  }
};
/** Nothing matching arrives within `ms`. */
async function nothing(client: TestClient, matches: (text: string) => boolean, ms = 400): Promise<void> {
  await expect(client.next(matches, ms)).rejects.toThrow(/no matching message/);
}

async function subscribed(client: TestClient, channel: string): Promise<void> {
  send(client, { action: "subscribe", channel });
  await client.next(ofType("subscribed", channel));
}

describe("channels through the local gateway (real handlers, dynalite, real ws clients)", () => {
  test("a publish reaches exactly the channel's subscribers; after unsubscribe or disconnect nothing more arrives", async () => {
    const a = await openClient(gateway.server, gateway.clients);
    const b = await openClient(gateway.server, gateway.clients);
    const c = await openClient(gateway.server, gateway.clients);
    await subscribed(a.client, "room/a");
    await subscribed(b.client, "room/a");
    await subscribed(c.client, "room/b");

    send(a.client, { action: "publish", channel: "room/a", data: "hello a" });
    const expected = { type: "message", channel: "room/a", from: { connectionId: a.id }, data: "hello a" };
    expect(JSON.parse(await a.client.next(ofType("message")))).toEqual(expected);
    expect(JSON.parse(await b.client.next(ofType("message")))).toEqual(expected);
    expect(JSON.parse(await a.client.next(ofType("published")))).toEqual({ type: "published", channel: "room/a", delivered: 2, pruned: 0, failed: 0 });
    await nothing(c.client, ofType("message"));

    // b leaves: only a gets the next one
    send(b.client, { action: "unsubscribe", channel: "room/a" });
    await b.client.next(ofType("unsubscribed", "room/a"));
    send(a.client, { action: "publish", channel: "room/a", data: "second" });
    await a.client.next(ofType("message"));
    expect(JSON.parse(await a.client.next(ofType("published")))).toMatchObject({ delivered: 1 });
    await nothing(b.client, ofType("message"));

    // a disconnects: its membership goes with it, so a publish to room/a reaches nobody
    await a.client.close();
    await until(async () => (await members(a.id)) === 0, 3000, "a's membership removed");
    send(c.client, { action: "publish", channel: "room/a", data: "anyone?" });
    expect(JSON.parse(await c.client.next(ofType("published")))).toMatchObject({ channel: "room/a", delivered: 0 });
    await nothing(b.client, ofType("message"));
  });

  test("a bad channel name is refused with a typed error, and nothing is stored", async () => {
    const { client, id } = await openClient(gateway.server, gateway.clients);
    for (const channel of ["", "room//a", "/room", "room/a/", "room a", "x".repeat(129), 42]) {
      send(client, { action: "subscribe", channel });
      expect(JSON.parse(await client.next(ofType("error")))).toMatchObject({ type: "error", code: "INVALID_CHANNEL" });
    }
    expect(await members(id)).toBe(0);
  });
});

/** Member items of `connectionId`, in the local members table. */
async function members(connectionId: string): Promise<number> {
  const { dynamodb, region } = gateway.server;
  const client = new DynamoDBClient({ region, credentials: LOCAL_CREDENTIALS, endpoint: dynamodb.endpoint });
  try {
    const { Items = [] } = await client.send(new ScanCommand({ TableName: dynamodb.membersTable }));
    return Items.filter((item) => item.connectionId?.S === connectionId).length;
  } finally {
    client.destroy();
  }
}
