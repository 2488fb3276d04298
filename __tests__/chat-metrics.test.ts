import { connect } from "../lambdas/routes/connect";
import { disconnect } from "../lambdas/routes/disconnect";
import { createMetrics } from "../lambdas/base/metrics";
import { sendMessage } from "../lambdas/routes/sendmessage";
import { encodeJob, jobsFor } from "../lambdas/fanout/job";
import { handleJobs } from "../lambdas/fanout/worker";
import { METRIC, METRICS_DEPLOYMENT_ENV, METRICS_NAMESPACE } from "../lambdas/contract/telemetry";
import { wsEvent } from "./support/chat-harness";
import { useChatPeers } from "./support/chat-peers";
import { connectionIds, seedConnections } from "../tools/fakes/seed";
import { recordedReturns, sqsEvent } from "./support/sqs-event";

/** The CloudWatch embedded metric format's envelope, as the handlers print it (one JSON object per line). */
interface EmfLine {
  _aws: { Timestamp: number; CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> };
  [key: string]: unknown;
}

const peers = useChatPeers();

/** Runs `action` with process.stdout captured; returns the EMF lines it printed (log lines of other shapes are left out). */
async function emfPrintedBy(action: () => Promise<unknown>): Promise<EmfLine[]> {
  const printed: string[] = [];
  const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    printed.push(chunk.toString());
    return true;
  });
  try {
    await action();
  } finally {
    spy.mockRestore();
  }
  return printed
    .join("")
    .split("\n")
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as EmfLine);
}

describe("handler metrics in CloudWatch's embedded metric format", () => {
  test("a broadcast with deliveries, prunes, failures and throttling prints one EMF line with each count", async () => {
    // GIVEN 6 stored connections: the sender and 2 more live, one throttled twice then live, one gone (410) and one broken (500)
    const { api } = peers;
    const tableName = await peers.freshTable();
    const ids = connectionIds(6, "emf");
    await seedConnections(peers.dynamo.client, tableName, ids, api);
    const [sender, , , throttled, gone, broken] = ids;
    api.throttle(throttled, 2);
    api.drop(gone);
    api.breakConnection(broken, 500, "InternalServerError");
    const deps = {
      ...peers.deps(tableName, { managementTuning: { maxAttempts: 3, connectionTimeoutMs: 300, requestTimeoutMs: 1000 } }),
      // The real Powertools metrics, printing to stdout as in Lambda, with the stack's deployment dimension.
      metrics: createMetrics({ [METRICS_DEPLOYMENT_ENV]: "wscf" }),
    };

    // WHEN the sender broadcasts
    const lines = await emfPrintedBy(() => sendMessage(deps, wsEvent("sendmessage", sender, JSON.stringify({ action: "sendmessage", data: "hi" }))));
    api.heal(broken);

    // THEN one EMF line: namespace, the two low-cardinality dimensions, every metric with its unit and value
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: METRICS_NAMESPACE,
        Dimensions: [["service", "deployment"]],
        Metrics: expect.arrayContaining(
          Object.values(METRIC)
            .filter((m) => m !== METRIC.connects && m !== METRIC.disconnects)
            .map(({ name, unit }) => ({ Name: name, Unit: unit })),
        ),
      },
    ]);
    expect(line._aws.CloudWatchMetrics[0].Metrics).toHaveLength(6);
    expect(line).toMatchObject({
      service: "websocket-chat",
      deployment: "wscf",
      [METRIC.delivered.name]: 4, // sender, two live, and the throttled one on its third attempt
      [METRIC.pruned.name]: 1,
      [METRIC.failed.name]: 1, // 500 is retried too (3 attempts), then counted once
      [METRIC.throttled.name]: 2,
      [METRIC.broadcastsWithFailures.name]: 1,
      [METRIC.broadcastDuration.name]: expect.any(Number),
    });
    expect(Math.abs(line._aws.Timestamp - Date.now())).toBeLessThan(10_000);
    // No connection id in any dimension or value of the line.
    for (const id of ids) expect(JSON.stringify(line)).not.toContain(id);
  });

  test("each fan-out segment prints one EMF line with its own counts, as a broadcast does", async () => {
    // GIVEN a split broadcast of 2 segments over 40 connections, 4 gone and 1 broken
    const { api } = peers;
    const tableName = await peers.freshTable();
    const ids = connectionIds(40, "seg");
    await seedConnections(peers.dynamo.client, tableName, ids, api);
    api.connect("segment-sender=");
    for (const id of ids.slice(0, 4)) api.drop(id);
    api.breakConnection(ids[4], 500, "InternalServerError");
    const harness = peers.deps(tableName, { managementTuning: { maxAttempts: 1, connectionTimeoutMs: 300, requestTimeoutMs: 1000 } });
    const jobs = jobsFor({ broadcastId: "b-emf", sender: "segment-sender=", data: "hi", segments: 2, startedAt: Date.now() });
    // WHEN a worker runs both jobs
    await handleJobs({ ...harness, maxReceiveCount: 3, returns: recordedReturns() }, sqsEvent(jobs.map(encodeJob)), () => 60_000);
    api.heal(ids[4]);
    // THEN one line per segment, whose counts add up to the broadcast's
    expect(harness.emf.lines).toHaveLength(2);
    const total = (metric: { name: string }) => harness.emf.lines.reduce((n, line) => n + Number(line[metric.name]), 0);
    expect([METRIC.delivered, METRIC.pruned, METRIC.failed, METRIC.broadcastsWithFailures].map(total)).toEqual([35, 4, 1, 1]);
    for (const line of harness.emf.lines) expect(line).toMatchObject({ deployment: "test", [METRIC.broadcastDuration.name]: expect.any(Number) });
  });

  test("a clean broadcast counts no failure, so the broadcast alarm stays quiet", async () => {
    const tableName = await peers.freshTable();
    const ids = connectionIds(3, "clean");
    await seedConnections(peers.dynamo.client, tableName, ids, peers.api);
    const deps = peers.deps(tableName);
    await sendMessage(deps, wsEvent("sendmessage", ids[0], JSON.stringify({ action: "sendmessage", data: "hi" })));
    expect(deps.emf.lines).toEqual([
      expect.objectContaining({ [METRIC.delivered.name]: 3, [METRIC.failed.name]: 0, [METRIC.throttled.name]: 0, [METRIC.broadcastsWithFailures.name]: 0 }),
    ]);
  });

  test("a broadcast whose connection list cannot be read counts as a failure, though no recipient failed", async () => {
    const deps = peers.deps("no-such-table");
    await sendMessage(deps, wsEvent("sendmessage", "unread-sender", JSON.stringify({ action: "sendmessage", data: "hi" })));
    expect(deps.emf.lines).toEqual([expect.objectContaining({ [METRIC.delivered.name]: 0, [METRIC.failed.name]: 0, [METRIC.broadcastsWithFailures.name]: 1 })]);
  });

  test("$connect and $disconnect each print one EMF line counting the event", async () => {
    const deps = { ...peers.deps(await peers.freshTable()), metrics: createMetrics({}) };
    const lines = await emfPrintedBy(async () => {
      await connect(deps, wsEvent("$connect", "emf-client", undefined, "CONNECT"));
      await disconnect(deps, wsEvent("$disconnect", "emf-client", undefined, "DISCONNECT"));
    });
    expect(lines.map((l) => l._aws.CloudWatchMetrics[0].Metrics)).toEqual([[{ Name: "Connects", Unit: "Count" }], [{ Name: "Disconnects", Unit: "Count" }]]);
    // Outside the stack (no METRICS_DEPLOYMENT) the deployment dimension says so.
    expect(lines.map((l) => [l.Connects ?? l.Disconnects, l.deployment])).toEqual([
      [1, "local"],
      [1, "local"],
    ]);
  });

  test("a failed $connect counts no connect", async () => {
    const deps = peers.deps("no-such-table");
    const result = await connect(deps, wsEvent("$connect", "emf-nowhere", undefined, "CONNECT"));
    expect(result).toMatchObject({ statusCode: 500 });
    expect(deps.emf.lines).toEqual([]);
  });
});
