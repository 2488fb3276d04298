import { connect } from "node:net";
import { GetConnectionCommand, PostToConnectionCommand } from "@aws-sdk/client-apigatewaymanagementapi";
import { WebSocket } from "ws";
import { MESSAGE_RATE_ENV, MESSAGE_RATE_LIMITS } from "../lambdas/contract/rate-settings";
import { openClient, QUIET_HANDLERS, storedConnectionIds, useLocalGateway } from "./support/local-gateway";
import { eventually } from "./support/ws-client";

const BUFFER_BYTES = 256 * 1024;
const lines: string[] = [];
// These cases are about API Gateway's route throttle: the per-connection rate stays out of their way.
// The route bucket is the deployed default's quarter (burst 25, 12.5/s instead of 100, 50/s), so a
// burst puts a quarter as many invocations on the one process's event loop and in-process DynamoDB.
const THROTTLING = { burstLimit: 25, rateLimit: 12.5 };
const gateway = useLocalGateway({
  maxOutboundBufferBytes: BUFFER_BYTES,
  throttling: THROTTLING,
  log: (line) => lines.push(line),
  handlerEnvironment: { ...QUIET_HANDLERS, [MESSAGE_RATE_ENV.burst]: String(MESSAGE_RATE_LIMITS.maxBurst) },
});

const broadcast = (data: string) => JSON.stringify({ action: "sendmessage", data });

// Each wait below has its own deadline (up to 20 s for the burst); Jest's default 5 s is not one of them.
jest.setTimeout(30_000);

describe("local gateway: clients that misbehave, as API Gateway treats them", () => {
  test("a binary frame closes the connection with 1003 and reaches no handler", async () => {
    const { client, id } = await openClient(gateway.server, gateway.clients);
    client.socket.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    await expect(client.closed).resolves.toMatchObject({ code: 1003 });
    expect(lines.filter((l) => l.startsWith("MESSAGE") && l.includes(id))).toEqual([]);
  });

  test("a requested subprotocol is not granted unless $connect returns it: the client's handshake fails", async () => {
    const socket = new WebSocket(gateway.server.websocketUrl, ["chat.v1"]);
    const failure = await new Promise<Error>((resolve) => socket.once("error", resolve));
    expect(failure.message).toMatch(/no subprotocol/);
  });

  test("R9 a client that drops while $connect runs leaves no row: its $disconnect removes it", async () => {
    const host = new URL(gateway.server.url);
    const socket = connect(Number(host.port), host.hostname, () => {
      socket.end(
        `GET /websocket HTTP/1.1\r\nHost: ${host.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
      socket.destroy();
    });
    socket.on("error", () => undefined);
    await eventually(() => lines.some((l) => l.includes("left while $connect ran")), 3000, "the gateway saw the client leave");
    const id = lines.find((l) => l.includes("left while $connect ran"))!.split(/\s+/)[1];
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^CONNECT +\\$connect +${id.replace(/[+/=]/g, "\\$&")} -> 200`)));
    await eventually(() => lines.some((l) => l.startsWith("DISCONNECT") && l.includes(id)), 3000, "$disconnect ran");
    expect(await storedConnectionIds(gateway.server)).not.toContain(id);
  });

  test("R11 a client that never reads: posts to it answer at once, 429 once its buffer is full, and others keep getting messages", async () => {
    const stalled = await openClient(gateway.server, gateway.clients);
    const sender = await openClient(gateway.server, gateway.clients);
    const other = await openClient(gateway.server, gateway.clients);
    stalled.client.socket.pause(); // stops reading: the kernel buffers fill, then the gateway's

    const chunk = Buffer.alloc(100 * 1024, 120);
    let refusal: unknown;
    let slowest = 0;
    for (let posts = 0; refusal === undefined && posts < 500; posts += 1) {
      const started = Date.now();
      await gateway.management.send(new PostToConnectionCommand({ ConnectionId: stalled.id, Data: chunk })).catch((error: unknown) => (refusal = error));
      slowest = Math.max(slowest, Date.now() - started);
    }
    expect(refusal).toMatchObject({ name: "LimitExceededException", $metadata: { httpStatusCode: 429 } });
    expect(slowest).toBeLessThan(1000);
    await expect(gateway.management.send(new GetConnectionCommand({ ConnectionId: stalled.id }))).resolves.toMatchObject({ ConnectedAt: expect.any(Date) });

    const started = Date.now();
    sender.client.send(broadcast("while one client stalls"));
    await expect(sender.client.next((t) => t === "while one client stalls")).resolves.toBeDefined();
    await expect(other.client.next((t) => t === "while one client stalls")).resolves.toBeDefined();
    expect(Date.now() - started).toBeLessThan(2000);

    stalled.client.socket.resume(); // what was queued before the refusals still arrives, in order
    await expect(stalled.client.next((t) => t.length === chunk.length, 10_000)).resolves.toBeDefined();
  });

  test("a burst of 75 messages from one client: the route's bucket (burst 25, 12.5/s) admits some, the rest get 429 frames, no handler fails", async () => {
    const { client } = await openClient(gateway.server, gateway.clients);
    // The route's bucket is the stage's, shared with the tests before this one: wait until it is full again.
    await new Promise((resolve) => setTimeout(resolve, (1000 * THROTTLING.burstLimit) / THROTTLING.rateLimit));
    for (let i = 0; i < 75; i += 1) client.send(broadcast(`burst ${i}`));
    await eventually(() => client.received.length >= 75, 20_000, "every message answered");
    const throttled = client.received.filter((t) => t.startsWith('{"message": "Too Many Requests", "connectionId":'));
    const echoed = client.received.filter((t) => t.startsWith("burst "));
    expect(client.received.filter((t) => t.includes("INTERNAL_ERROR") || t.includes("Internal server error"))).toEqual([]);
    expect(echoed.length + throttled.length).toBe(75);
    expect(echoed.length).toBeGreaterThanOrEqual(THROTTLING.burstLimit);
    expect(throttled.length).toBeGreaterThan(25);
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
  });
});
