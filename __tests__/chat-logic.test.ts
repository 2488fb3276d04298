import { Logger } from "@aws-lambda-powertools/logger";
import type { ConnectionsApi, PostOptions } from "../lambdas/base/connections-api";
import type { ChatDeps } from "../lambdas/routes/deps";
import { sendMessage } from "../lambdas/routes/sendmessage";
import type { ConnectionStore, Recipient, RecipientPage } from "../lambdas/base/store";
import { SYSTEM_CLOCK } from "../lambdas/base/clock";
import { CHAT_PROTOCOL_V1, CHAT_PROTOCOL_V2 } from "../lambdas/contract/auth-subprotocol";
import { EmfLines, wsEvent } from "./support/chat-harness";

// The broadcast's logic with in-memory peers: no DynamoDB, no HTTP, no signing. The same cases run
// against dynalite and a signed @connections server in chat-sendmessage.test.ts (the adapters).

/** An error shaped as the SDK reports API Gateway's answers (`name` and `$metadata.httpStatusCode`). */
function apiError(name: string, status: number): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

/** @connections in memory: open ids receive, unknown ids answer 410, broken ids 500. */
class MemoryConnections implements ConnectionsApi {
  readonly received = new Map<string, string[]>();
  readonly broken = new Set<string>();
  constructor(open: string[]) {
    for (const id of open) this.received.set(id, []);
  }
  async post(connectionId: string, data: string, options: PostOptions = {}): Promise<void> {
    if (options.signal?.aborted) throw Object.assign(new Error("aborted"), { name: "AbortError" });
    if (this.broken.has(connectionId)) throw apiError("InternalServerErrorException", 500);
    const inbox = this.received.get(connectionId);
    if (inbox === undefined) throw apiError("GoneException", 410);
    inbox.push(data);
  }
  async disconnect(connectionId: string): Promise<void> {
    this.received.delete(connectionId);
  }
}

/** The table in memory. */
class MemoryStore implements ConnectionStore {
  readonly ids: Set<string>;
  /** `ids` with the protocol version each negotiated, by id (none: it offered no subprotocol). */
  constructor(
    ids: string[],
    private readonly protocols: Readonly<Record<string, string>> = {},
  ) {
    this.ids = new Set(ids);
  }
  async add(connectionId: string): Promise<void> {
    this.ids.add(connectionId);
  }
  async remove(connectionId: string): Promise<void> {
    this.ids.delete(connectionId);
  }
  async *recipients(): AsyncIterable<Recipient> {
    for (const connectionId of this.ids) yield { connectionId, protocol: this.protocols[connectionId] };
  }
  async count(): Promise<number> {
    return this.ids.size;
  }
  async firstPage(_now: Date, maxItems: number): Promise<RecipientPage> {
    const recipients: Recipient[] = [];
    for await (const recipient of this.recipients()) if (recipients.length < maxItems) recipients.push(recipient);
    return { recipients, complete: this.ids.size <= maxItems };
  }
}

function depsWith(store: ConnectionStore, connections: ConnectionsApi): ChatDeps {
  return {
    store,
    connections,
    logger: new Logger({ serviceName: "chat-logic-test", logLevel: "SILENT" }),
    metrics: new EmfLines().metrics,
    fanoutConcurrency: 4,
    clock: SYSTEM_CLOCK,
  };
}

const message = (data: string) => JSON.stringify({ action: "sendmessage", data });

describe("sendmessage logic, with in-memory peers (R9)", () => {
  test("R9 posts data to every stored connection, the sender included", async () => {
    const ids = ["alice", "bob", "carol"];
    const connections = new MemoryConnections(ids);
    const result = await sendMessage(depsWith(new MemoryStore(ids), connections), wsEvent("sendmessage", "alice", message("hello world")));
    expect(result).toMatchObject({ statusCode: 200 });
    for (const id of ids) expect(connections.received.get(id)).toEqual(["hello world"]);
  });

  test("R9 a recipient that answers 410 is deleted from the table, not the sender, and the rest still get the message", async () => {
    const store = new MemoryStore(["alice", "gone", "bob"]);
    const connections = new MemoryConnections(["alice", "bob"]);
    await sendMessage(depsWith(store, connections), wsEvent("sendmessage", "alice", message("hi")));
    expect([...store.ids].sort()).toEqual(["alice", "bob"]);
    expect(connections.received.get("bob")).toEqual(["hi"]);
  });

  test("one failing recipient neither stops the broadcast nor is deleted; the sender is told", async () => {
    const store = new MemoryStore(["alice", "broken", "bob"]);
    const connections = new MemoryConnections(["alice", "broken", "bob"]);
    connections.broken.add("broken");
    const result = await sendMessage(depsWith(store, connections), wsEvent("sendmessage", "alice", message("hi")));
    expect(result).toMatchObject({ statusCode: 502 });
    expect(store.ids.has("broken")).toBe(true);
    expect(connections.received.get("bob")).toEqual(["hi"]);
    const errors = connections.received
      .get("alice")!
      .filter((m) => m !== "hi")
      .map((m) => JSON.parse(m));
    expect(errors).toEqual([expect.objectContaining({ type: "error", code: "PARTIAL_DELIVERY" })]);
  });

  test("each recipient gets the encoding of its protocol: version 2 a typed chat frame naming the sender, version 1 and none the raw text, even text that looks like a server frame", async () => {
    const ids = ["alice", "v2", "v1", "wscat"];
    const connections = new MemoryConnections(ids);
    const store = new MemoryStore(ids, { alice: CHAT_PROTOCOL_V2, v2: CHAT_PROTOCOL_V2, v1: CHAT_PROTOCOL_V1 });
    const forged = JSON.stringify({ type: "error", code: "INTERNAL_ERROR", message: "Session expired, sign in again at https://evil.example" });
    const event = wsEvent("sendmessage", "alice", message(forged));
    (event.requestContext as { authorizer?: Record<string, string> }).authorizer = { sub: "alice-sub" };
    await sendMessage(depsWith(store, connections), event);
    const typed = { type: "chat", from: { connectionId: "alice", subject: "alice-sub" }, data: forged };
    for (const id of ["alice", "v2"]) expect(connections.received.get(id)!.map((frame) => JSON.parse(frame))).toEqual([typed]);
    for (const id of ["v1", "wscat"]) expect(connections.received.get(id)).toEqual([forged]);
  });

  test("a message whose typed frame (the body's escaped data plus the sender) would pass @connections' 128 KiB is refused before anyone gets it", async () => {
    const connections = new MemoryConnections(["alice", "bob"]);
    // 21,800 control characters: 1 byte each, 6 once escaped (\u0001), so the
    // body (130,834 bytes) is within API Gateway's 128 KiB, the frame with a 300-character subject is not.
    const body = message("\u0001".repeat(21_800));
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(128 * 1024);
    const event = wsEvent("sendmessage", "alice", body);
    (event.requestContext as { authorizer?: Record<string, string> }).authorizer = { sub: "s".repeat(300) };
    const result = await sendMessage(depsWith(new MemoryStore(["alice", "bob"], { bob: CHAT_PROTOCOL_V2 }), connections), event);
    expect(result).toMatchObject({ statusCode: 400 });
    expect(connections.received.get("bob")).toEqual([]);
    expect(JSON.parse(connections.received.get("alice")![0])).toMatchObject({ type: "error", code: "MESSAGE_TOO_LARGE" });
  });

  test("bad input posts nothing to others and answers the sender with the reason", async () => {
    const connections = new MemoryConnections(["alice", "bob"]);
    const result = await sendMessage(depsWith(new MemoryStore(["alice", "bob"]), connections), wsEvent("sendmessage", "alice", "{not json"));
    expect(result).toMatchObject({ statusCode: 400 });
    expect(connections.received.get("bob")).toEqual([]);
    expect(JSON.parse(connections.received.get("alice")![0])).toMatchObject({ type: "error" });
  });
});
