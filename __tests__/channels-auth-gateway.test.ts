import { CHAT_SUBPROTOCOL } from "../lambdas/contract/auth-subprotocol";
import { type LocalIssuer, startLocalIssuer } from "../tools/gateway/local-issuer";
import { type DevServer, startDevServer } from "../tools/gateway/server";
import { QUIET_HANDLERS } from "./support/local-gateway";
import { TestClient } from "./support/ws-client";

// Every wait below has its own bound (TestClient.next: 5 s); Jest's default 5 s is not one of them.
jest.setTimeout(30_000);

const frameOf = (text: string) => JSON.parse(text) as { type?: string; code?: string; channel?: string };

describe("channels with auth on: the token's channels claim decides, on every subscribe and publish (local issuer, real authorizer)", () => {
  let issuer: LocalIssuer;
  let server: DevServer;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    issuer = await startLocalIssuer();
    server = await startDevServer({ port: 0, authorizerEnvironment: issuer.environment, handlerEnvironment: { ...QUIET_HANDLERS } });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server.close();
    await issuer.close();
  });

  async function clientWith(channels: string[]): Promise<TestClient> {
    const client = await TestClient.open(server.websocketUrl, [CHAT_SUBPROTOCOL, await issuer.sign({ channels })]);
    clients.push(client);
    return client;
  }

  test("room/* may subscribe and publish to room/a, not to lobby; a token without the claim may use no channel", async () => {
    const member = await clientWith(["room/*"]);
    const outsider = await clientWith([]);

    member.send(JSON.stringify({ action: "subscribe", channel: "room/a" }));
    expect(frameOf(await member.next())).toEqual({ type: "subscribed", channel: "room/a" });
    member.send(JSON.stringify({ action: "subscribe", channel: "lobby" }));
    expect(frameOf(await member.next())).toMatchObject({ type: "error", code: "CHANNEL_FORBIDDEN" });
    member.send(JSON.stringify({ action: "subscribe", channel: "room/a/b" }));
    expect(frameOf(await member.next())).toMatchObject({ type: "error", code: "CHANNEL_FORBIDDEN" });

    outsider.send(JSON.stringify({ action: "subscribe", channel: "room/a" }));
    expect(frameOf(await outsider.next())).toMatchObject({ type: "error", code: "CHANNEL_FORBIDDEN" });
    outsider.send(JSON.stringify({ action: "publish", channel: "room/a", data: "let me in" }));
    expect(frameOf(await outsider.next())).toMatchObject({ type: "error", code: "CHANNEL_FORBIDDEN" });
    await expect(member.next((text) => frameOf(text).type === "message", 400)).rejects.toThrow(/no matching message/);

    member.send(JSON.stringify({ action: "publish", channel: "room/a", data: "hi" }));
    expect(frameOf(await member.next((text) => frameOf(text).type === "message"))).toMatchObject({ channel: "room/a", from: { subject: "local-user" } });
  });
});
