import { RouteThrottle } from "../tools/gateway/route-throttle";
import { openClient, useLocalGateway } from "./support/local-gateway";
import { eventually } from "./support/ws-client";

const gateway = useLocalGateway({ throttling: { burstLimit: 4, rateLimit: 1 }, maxConcurrentInvocations: 2 });

const isFrame = (message: string) => (t: string) => t.startsWith(`{"message": "${message}", "connectionId":`);

describe("local gateway: route throttling and Lambda concurrency", () => {
  test("the route's token bucket admits the burst, refills at the rate, and refuses the rest", () => {
    let now = 0;
    const throttle = new RouteThrottle({ burstLimit: 4, rateLimit: 1 }, () => now);
    const take = (n: number) => Array.from({ length: n }, () => throttle.tryTake("$default"));
    expect(take(6)).toEqual([true, true, true, true, false, false]);
    now += 2000; // 2 tokens back at 1 per second
    expect(take(3)).toEqual([true, true, false]);
    expect(throttle.tryTake("sendmessage")).toBe(true); // each route has a bucket of its own
  });

  test("a client past the burst gets API Gateway's 429 frame for each refused message, and an answer for every other", async () => {
    const { client } = await openClient(gateway.server, gateway.clients);
    for (let i = 0; i < 6; i += 1) {
      const answered = client.received.length;
      client.send("not json: $default");
      // One at a time: the concurrency bound (2) is not what this test measures.
      await eventually(() => client.received.length > answered, 3000, "an answer");
    }
    const refused = client.received.filter(isFrame("Too Many Requests")).length;
    const answered = client.received.filter((t) => t.includes('"usage"')).length;
    // The bucket refills at 1 per second while the messages go out: at most 2 of them may be refused.
    expect(refused + answered).toBe(6);
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(refused).toBeLessThanOrEqual(2);
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
