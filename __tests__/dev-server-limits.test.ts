import { GetConnectionCommand, PostToConnectionCommand } from "@aws-sdk/client-apigatewaymanagementapi";
import { API_GATEWAY_LIMITS } from "../tools/gateway/server";
import { openClient, useLocalGateway } from "./support/local-gateway";
import { eventually } from "./support/ws-client";

const IDLE_MS = 700;
const gateway = useLocalGateway({ idleTimeoutMs: IDLE_MS });

describe("local gateway: API Gateway's quotas", () => {
  test("defaults are API Gateway's: 128 KB messages, 10 minutes idle, 2 hours per connection, 29 s per integration", () => {
    expect(API_GATEWAY_LIMITS).toEqual({ maxMessageBytes: 131072, idleTimeoutMs: 600_000, maxConnectionMs: 7_200_000, integrationTimeoutMs: 29_000 });
  });

  test("a client message over 128 KB closes the socket with 1009", async () => {
    const { client } = await openClient(gateway.server, gateway.clients);
    client.send("x".repeat(API_GATEWAY_LIMITS.maxMessageBytes + 1));
    await expect(client.closed).resolves.toMatchObject({ code: 1009 });
  });

  test("a sendmessage with 32 KB of data (the handlers' own limit) comes back whole", async () => {
    const { client } = await openClient(gateway.server, gateway.clients);
    const data = "y".repeat(32 * 1024);
    client.send(JSON.stringify({ action: "sendmessage", data }));
    await expect(client.next((t) => t.length === data.length)).resolves.toBe(data);
  });

  test("a 120 KB message is under the gateway's limit: it reaches the handler and the socket stays open", async () => {
    const { client } = await openClient(gateway.server, gateway.clients);
    client.send(JSON.stringify({ action: "sendmessage", data: "z".repeat(120 * 1024) }));
    // The handler, not the gateway, refuses data over 32 KB, with an error to the sender.
    const answer = JSON.parse(await client.next((t) => t.includes('"error"'))) as { code: string };
    expect(answer.code).toBe("MESSAGE_TOO_LARGE");
    expect(client.socket.readyState).toBe(client.socket.OPEN);
  });

  test("@connections POST over 128 KB answers 413 PayloadTooLargeException and the socket stays open", async () => {
    const { client, id } = await openClient(gateway.server, gateway.clients);
    await expect(
      gateway.management.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.alloc(API_GATEWAY_LIMITS.maxMessageBytes + 1, 97) })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 413 } });
    await gateway.management.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from("still here") }));
    await expect(client.next()).resolves.toBe("still here");
  });

  test("an idle socket is closed with 1001 after the idle timeout; a message resets the timer", async () => {
    // Before the idle socket opens: its timer cannot start sooner (opening the second one can take a while on a busy machine).
    const started = Date.now();
    const idle = await openClient(gateway.server, gateway.clients);
    const busy = await openClient(gateway.server, gateway.clients);
    const ticker = setInterval(() => busy.client.send("tick"), IDLE_MS / 3);
    try {
      await expect(idle.client.closed).resolves.toMatchObject({ code: 1001 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(IDLE_MS - 50);
      await new Promise((r) => setTimeout(r, IDLE_MS));
      expect(busy.client.socket.readyState).toBe(busy.client.socket.OPEN);
    } finally {
      clearInterval(ticker);
    }
  });

  test("R11 GET status: lastActiveAt moves with client messages, connectedAt does not", async () => {
    const { client, id } = await openClient(gateway.server, gateway.clients);
    const first = await gateway.management.send(new GetConnectionCommand({ ConnectionId: id }));
    await new Promise((r) => setTimeout(r, IDLE_MS / 3)); // well inside the idle timeout
    client.send("activity");
    await eventually(
      async () => {
        const later = await gateway.management.send(new GetConnectionCommand({ ConnectionId: id }));
        return later.LastActiveAt!.getTime() > first.LastActiveAt!.getTime() && later.ConnectedAt!.getTime() === first.ConnectedAt!.getTime();
      },
      2000,
      "lastActiveAt advanced",
    );
  });
});
