import type { BroadcastAccepted, SegmentReport } from "../lambdas/fanout/reports";
import { FANOUT_ENV } from "../lambdas/contract/fanout-settings";
import { openClient, QUIET_HANDLERS, useLocalGateway } from "./support/local-gateway";
import { eventually } from "./support/ws-client";

const INLINE_LIMIT = 5;
const WORKERS = 2;
const lines: string[] = [];
// The split path runs as on AWS: sendmessage queues the segments on the local SQS endpoint, the
// real worker handler polls them through the real SDK client.
const gateway = useLocalGateway({
  handlerEnvironment: { ...QUIET_HANDLERS, [FANOUT_ENV.inlineLimit]: String(INLINE_LIMIT), [FANOUT_ENV.workers]: String(WORKERS) },
  log: (line) => lines.push(line),
});

describe("local gateway: a broadcast above the inline limit is split over the local queue", () => {
  test("every client gets the message; the sender gets the acknowledgement and one report per segment; the output shows each segment", async () => {
    const opened = [];
    for (let i = 0; i < 12; i += 1) opened.push(await openClient(gateway.server, gateway.clients));
    const sender = opened[3].client;

    sender.send(JSON.stringify({ action: "sendmessage", data: "hello split" }));

    const accepted = JSON.parse(await sender.next((t) => t.includes('"broadcast-accepted"'))) as BroadcastAccepted;
    expect(accepted).toMatchObject({ recipients: 12, segments: WORKERS });
    await Promise.all(opened.map((o) => o.client.next((t) => t === "hello split", 15_000)));
    const reports: SegmentReport[] = [];
    for (let i = 0; i < accepted.segments; i += 1)
      reports.push(JSON.parse(await sender.next((t) => t.includes('"broadcast-segment"'), 15_000)) as SegmentReport);
    expect(reports.map((r) => r.status)).toEqual(["done", "done"]);
    expect(reports.map((r) => r.segment).sort()).toEqual([0, 1]);
    expect(reports.reduce((n, r) => n + r.delivered, 0)).toBe(12);
    expect(reports.every((r) => r.broadcastId === accepted.broadcastId && r.failed === 0)).toBe(true);
    // Nobody got it twice: one copy each, no inline delivery besides the split one.
    expect(opened.every((o) => !o.client.received.includes("hello split"))).toBe(true);
    await eventually(() => lines.filter((l) => l.includes(`of ${accepted.broadcastId} receive 1 -> ok`)).length === WORKERS, 3000, "segment lines");
    expect(
      lines
        .filter((l) => l.includes("fanout-worker segment"))
        .map((l) => l.replace(/^.*(segment \d\/\d).*$/, "$1"))
        .sort(),
    ).toEqual(["segment 1/2", "segment 2/2"]);
  }, 60_000);

  test("at the inline limit the broadcast stays inline: no acknowledgement, no segment", async () => {
    const opened = [];
    for (let i = 0; i < INLINE_LIMIT; i += 1) opened.push(await openClient(gateway.server, gateway.clients));
    const before = lines.filter((l) => l.includes("fanout-worker")).length;

    opened[0].client.send(JSON.stringify({ action: "sendmessage", data: "hello inline" }));

    await Promise.all(opened.map((o) => o.client.next((t) => t === "hello inline")));
    expect(opened[0].client.received.filter((t) => t.includes("broadcast-"))).toEqual([]);
    expect(lines.filter((l) => l.includes("fanout-worker")).length).toBe(before);
  }, 60_000);
});
