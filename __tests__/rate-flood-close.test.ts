import { MESSAGE_RATE_ENV } from "../lambdas/contract/rate-settings";
import { openClient, QUIET_HANDLERS, storedConnectionIds, useLocalGateway } from "./support/local-gateway";
import { eventually } from "./support/ws-client";

// 1 message a second, 2 at once, closed at the 3rd refusal: a flood is cut off within a few messages.
const gateway = useLocalGateway({
  handlerEnvironment: {
    ...QUIET_HANDLERS,
    [MESSAGE_RATE_ENV.perSecond]: "1",
    [MESSAGE_RATE_ENV.burst]: "2",
    [MESSAGE_RATE_ENV.maxRefusals]: "3",
  },
});

// Every wait below has its own deadline (up to 10 s); Jest's default 5 s is not one of them.
jest.setTimeout(60_000);

const chat = (data: string) => JSON.stringify({ action: "sendmessage", data });

describe("a connection that keeps sending past its rate is closed", () => {
  test.each([
    ["sendmessage", (i: number) => chat(`flood ${i}`)],
    ["$default", (i: number) => `not json ${i}`],
  ])("a flood on %s: the flooder is told, closed with 1000 and its row removed; a calm client stays and chats", async (_route, message) => {
    const flooder = await openClient(gateway.server, gateway.clients);
    const calm = await openClient(gateway.server, gateway.clients);
    for (let i = 0; i < 20; i += 1) flooder.client.send(message(i));

    await expect(flooder.client.closed).resolves.toMatchObject({ code: 1000 });
    const refusals = flooder.client.received.filter((t) => t.includes('"RATE_LIMITED"')).map((t) => JSON.parse(t) as { message: string });
    expect(refusals.length).toBeGreaterThanOrEqual(3);
    expect(refusals.some((r) => r.message.includes("The connection is closed: 3 messages were over the limit."))).toBe(true);
    await eventually(async () => !(await storedConnectionIds(gateway.server)).includes(flooder.id), 5000, "the flooder's row removed by its $disconnect");

    calm.client.send(chat("still here"));
    await expect(calm.client.next((t) => t === "still here", 10_000)).resolves.toBe("still here");
    expect(gateway.server.connectionIds()).toContain(calm.id);
  });

  test("a client that slows down after a burst is not closed: refusals start over once its bucket is full again", async () => {
    const { client, id } = await openClient(gateway.server, gateway.clients);
    for (let round = 0; round < 3; round += 1) {
      // 2 allowed, 2 refused: under the 3 refusals that close it, then 2.5 s of quiet refill the bucket.
      for (let i = 0; i < 4; i += 1) client.send(chat(`round ${round} message ${i}`));
      await client.next((t) => t.includes('"RATE_LIMITED"'), 5000);
      await new Promise((resolve) => setTimeout(resolve, 2500));
    }
    expect(gateway.server.connectionIds()).toContain(id);
  });
});
