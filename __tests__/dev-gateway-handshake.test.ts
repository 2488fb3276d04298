import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import { once } from "node:events";
import { openClient, QUIET_HANDLERS, storedConnectionIds, useLocalGateway } from "./support/local-gateway";
import { eventually } from "./support/ws-client";

const UNREAD_LIMIT = 64 * 1024;
let throttledAnswers = 0;
const lines: string[] = [];
const gateway = useLocalGateway({
  maxOutboundBufferBytes: UNREAD_LIMIT,
  // Nearly every flooded frame is throttled: the gateway answers them itself, no handler runs.
  throttling: { burstLimit: 2, rateLimit: 0.01 },
  handlerEnvironment: QUIET_HANDLERS,
  log: (line) => {
    if (line.startsWith("MESSAGE") && line.endsWith("429 throttled")) throttledAnswers += 1;
    else lines.push(line);
  },
});

// Each wait below has its own deadline (up to 20 s for the flood); Jest's default 5 s is not one of them.
jest.setTimeout(30_000);

const VALID_KEY = randomBytes(16).toString("base64");

/** Sends `head` on a raw TCP socket to the gateway and resolves with the socket once the answer's headers arrived. */
async function rawHandshake(headers: Readonly<Record<string, string>>): Promise<{ socket: Socket; status: number; head: string }> {
  const url = new URL(gateway.server.websocketUrl);
  const socket = connect(Number(url.port), url.hostname);
  socket.on("error", () => undefined);
  await once(socket, "connect");
  const lines = Object.entries({ Host: url.host, Upgrade: "websocket", Connection: "Upgrade", ...headers }).map(([k, v]) => `${k}: ${v}\r\n`);
  socket.write(`GET ${url.pathname} HTTP/1.1\r\n${lines.join("")}\r\n`);
  let received = "";
  while (!received.includes("\r\n\r\n")) {
    const [chunk] = (await Promise.race([once(socket, "data"), once(socket, "close").then(() => [Buffer.from("\r\n\r\n")])])) as [Buffer];
    received += chunk.toString("latin1");
  }
  const head = received.slice(0, received.indexOf("\r\n\r\n"));
  return { socket, status: Number(head.split(" ")[1]), head };
}

/** One masked client text frame (RFC 6455 section 5.3: a client masks every frame) of a payload under 126 bytes. */
function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text, "utf8");
  const mask = randomBytes(4);
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, payload.map((byte, i) => byte ^ mask[i % 4])]);
}

describe("local gateway: what API Gateway checks before any route runs, and what it keeps for a client", () => {
  test.each([
    ["no Sec-WebSocket-Key", { "Sec-WebSocket-Version": "13" }],
    ["a key that is not 16 bytes", { "Sec-WebSocket-Key": "c2hvcnQ=", "Sec-WebSocket-Version": "13" }],
    ["no Sec-WebSocket-Version", { "Sec-WebSocket-Key": VALID_KEY }],
    ["version 8 (a draft, not RFC 6455)", { "Sec-WebSocket-Key": VALID_KEY, "Sec-WebSocket-Version": "8" }],
    ["a subprotocol list with an empty value", { "Sec-WebSocket-Key": VALID_KEY, "Sec-WebSocket-Version": "13", "Sec-WebSocket-Protocol": "wscf.v2, " }],
  ])("a handshake with %s is refused with 400 before $connect runs: no row, no route", async (_what, headers) => {
    lines.length = 0;
    const before = await storedConnectionIds(gateway.server);
    const { socket, status, head } = await rawHandshake(headers);
    socket.destroy();
    expect(status).toBe(400);
    if (head.includes("Version header")) expect(head).toMatch(/\r\nSec-WebSocket-Version: 13\r\n/);
    expect(lines.filter((line) => line.includes("$connect"))).toEqual([]);
    expect(await storedConnectionIds(gateway.server)).toEqual(before);
  });

  test("a well-formed raw handshake is accepted (the checks above refuse only what is malformed)", async () => {
    const { socket, status } = await rawHandshake({ "Sec-WebSocket-Key": VALID_KEY, "Sec-WebSocket-Version": "13" });
    socket.destroy();
    expect(status).toBe(101);
  });

  test("a client that floods tiny frames and never reads: the throttle's answers it leaves unread stay within the unread bound", async () => {
    const { client, id } = await openClient(gateway.server, gateway.clients);
    const raw = (client.socket as unknown as { _socket: Socket })._socket;
    raw.pause(); // reads nothing more: the kernel's buffers fill first (several MB on loopback), then the gateway's
    // 60,000 answers of ~97 bytes: far more than the kernel's buffers and the bound together (1.6 MB were left unread without it).
    const frames = 60_000;
    const answeredBefore = throttledAnswers;
    raw.write(Buffer.concat(Array.from({ length: frames }, () => maskedTextFrame("{}"))));
    // Every frame but the bucket's two tokens is answered by the gateway itself ("{}": $default, no action).
    await eventually(() => throttledAnswers - answeredBefore >= frames - 5, 20_000, "every frame throttled");
    const unread = gateway.server.unreadBytes(id);
    expect(unread).toBeDefined();
    expect(unread).toBeLessThanOrEqual(UNREAD_LIMIT);
    expect(gateway.server.connectionIds()).toContain(id);
    client.socket.terminate(); // it reads nothing, so a close handshake would wait out ws's 30 s
  });
});
