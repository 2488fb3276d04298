import { openClient, useLocalGateway } from "./support/local-gateway";
import { eventually } from "./support/ws-client";

const gateway = useLocalGateway({ throttling: { burstLimit: 4, rateLimit: 1 }, maxConcurrentInvocations: 2 });

const isFrame = (message: string) => (t: string) => t.startsWith(`{"message": "${message}", "connectionId":`);

describe("local gateway: route throttling and Lambda concurrency", () => {
  test("the route's token bucket admits the burst, refills at the rate, and answers the rest with API Gateway's 429 frame", async () => {
    const { client } = await openClient(gateway.server, gateway.clients);
    const send = async (n: number) => {
      for (let i = 0; i < n; i += 1) {
        const answered = client.received.length;
        client.send("not json: $default");
        // One at a time: the concurrency bound (2) is not what this test measures.
        await eventually(() => client.received.length > answered, 3000, "an answer");
      }
    };
    await send(6);
    const first = client.received.splice(0);
    expect(first.filter(isFrame("Too Many Requests"))).toHaveLength(2);
    expect(first.filter((t) => t.includes('"usage"'))).toHaveLength(4);

    await new Promise((r) => setTimeout(r, 2100)); // 2 tokens back at 1 per second
    await send(3);
    expect(client.received.splice(0).filter(isFrame("Too Many Requests"))).toHaveLength(1);
  });

  test("invocations beyond the concurrency bound are throttled as Lambda does: the client gets API Gateway's Internal server error frame", async () => {
    await new Promise((r) => setTimeout(r, 3100)); // at least 3 tokens again
    const { client } = await openClient(gateway.server, gateway.clients);
    for (let i = 0; i < 4; i += 1) client.send("not json: $default");
    await eventually(() => client.received.length >= 4, 3000, "four answers");
    expect(client.received.filter(isFrame("Internal server error")).length).toBeGreaterThanOrEqual(1);
    expect(client.received.filter((t) => t.includes('"usage"')).length).toBeGreaterThanOrEqual(1);
  });
});
