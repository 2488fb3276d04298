import type { FanoutJob } from "../lambdas/fanout/job";
import type { BroadcastAccepted } from "../lambdas/fanout/reports";
import { sendMessage } from "../lambdas/chat/sendmessage";
import { COUNT_PARALLELISM } from "../lambdas/fanout/split";
import { chatDeps, wsEvent } from "./support/chat-harness";
import { type LocalDynamo, startDynalite } from "../tools/fakes/dynalite";
import { FakeConnectionsApi } from "../tools/fakes/connections-api";
import { connectionIds, seedConnections } from "../tools/fakes/seed";

const BUDGET = { inlineLimit: 40, ratePerSecond: 1000, workers: 2, workerBudgetSeconds: 60, workerCapacityPerSecond: 1000 };

describe("sendmessage with a fan-out queue (dynalite + fake @connections)", () => {
  let dynamo: LocalDynamo;
  let api: FakeConnectionsApi;
  let tables = 0;

  beforeAll(async () => {
    dynamo = await startDynalite();
    api = await FakeConnectionsApi.start({ recordRequests: false });
  });
  afterAll(async () => {
    await api.close();
    await dynamo.stop();
  });

  async function setup(recipients: number, queue: { send(jobs: readonly FanoutJob[]): Promise<void> }) {
    const tableName = `split-${(tables += 1)}`;
    await dynamo.createConnectionsTable(tableName);
    const ids = connectionIds(recipients, `s${tables}-`);
    await seedConnections(dynamo.client, tableName, ids, api);
    const deps = { ...chatDeps({ dynamoEndpoint: dynamo.endpoint, tableName, managementEndpoint: api.endpoint }), fanout: { queue, budget: BUDGET } };
    return { ids, deps, event: wsEvent("sendmessage", ids[0], JSON.stringify({ action: "sendmessage", data: "hi" })) };
  }

  test("at the inline limit the broadcast is delivered inline, nothing is queued", async () => {
    const queued: FanoutJob[] = [];
    const { ids, deps, event } = await setup(40, { send: async (jobs) => void queued.push(...jobs) });

    const result = await sendMessage(deps, event);

    expect(result).toMatchObject({ statusCode: 200 });
    expect(queued).toEqual([]);
    for (const id of ids) expect(api.received(id)).toEqual(["hi"]);
  });

  test("a small chat is counted by one COUNT page, not by parallel scans: one Scan to count, one to deliver", async () => {
    const { ids, deps, event } = await setup(3, { send: async () => Promise.reject(new Error("nothing should be queued")) });

    const result = await sendMessage(deps, event);

    expect(result).toMatchObject({ statusCode: 200 });
    for (const id of ids) expect(api.received(id)).toEqual(["hi"]);
    expect(deps.counters.scans).toBe(2);
  });

  test("a table bigger than one COUNT page of inline limit + 1 is counted in parallel, exactly", async () => {
    const queued: FanoutJob[] = [];
    const { deps, event } = await setup(95, { send: async (jobs) => void queued.push(...jobs) });

    const result = await sendMessage(deps, event);

    expect(result).toMatchObject({ statusCode: 202 });
    expect(deps.logs.withMessage("broadcast split")).toEqual([expect.objectContaining({ recipients: 95 })]);
    expect(deps.counters.scans).toBe(1 + COUNT_PARALLELISM);
  });

  test("above it, one job per segment is queued and the sender is acknowledged at once; nobody is posted inline", async () => {
    const queued: FanoutJob[] = [];
    const { ids, deps, event } = await setup(41, { send: async (jobs) => void queued.push(...jobs) });

    const result = await sendMessage(deps, event);

    expect(result).toMatchObject({ statusCode: 202 });
    const [ack, ...rest] = api.received(ids[0]);
    expect(rest).toEqual([]);
    const accepted = JSON.parse(ack) as BroadcastAccepted;
    expect(accepted).toMatchObject({ type: "broadcast-accepted", recipients: 41, segments: 2 });
    expect(queued.map((job) => [job.segment, job.segments, job.sender, job.data, job.broadcastId])).toEqual([
      [0, 2, ids[0], "hi", accepted.broadcastId],
      [1, 2, ids[0], "hi", accepted.broadcastId],
    ]);
    expect(ids.slice(1).every((id) => api.received(id).length === 0)).toBe(true);
    expect(deps.logs.withMessage("broadcast split")).toEqual([expect.objectContaining({ recipients: 41, segments: 2, broadcastId: accepted.broadcastId })]);
  });

  test("a queue that refuses the jobs is an error the sender hears of, logged as such", async () => {
    const { ids, deps, event } = await setup(41, { send: async () => Promise.reject(new Error("queue down")) });

    const result = await sendMessage(deps, event);

    expect(result).toMatchObject({ statusCode: 500 });
    expect(JSON.parse(api.received(ids[0])[0])).toMatchObject({ type: "error", code: "INTERNAL_ERROR" });
    expect(deps.logs.withMessage("broadcast not split")).toEqual([expect.objectContaining({ stage: "queued", detail: "Error: queue down" })]);
  });
});
