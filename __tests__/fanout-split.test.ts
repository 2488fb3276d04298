import type { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { type FanoutJob, jobsFor } from "../lambdas/fanout/job";
import { type Enqueued, type JobQueue, SqsJobQueue } from "../lambdas/fanout/queue";
import type { BroadcastAccepted } from "../lambdas/fanout/reports";
import { sendMessage } from "../lambdas/routes/sendmessage";
import { COUNT_PARALLELISM } from "../lambdas/delivery/audience";
import { wsEvent } from "./support/chat-harness";
import { useChatPeers } from "./support/chat-peers";
import { connectionIds, seedConnections } from "../tools/fakes/seed";
import { METRIC } from "../lambdas/contract/telemetry";

const BUDGET = { inlineLimit: 40, ratePerSecond: 1000, workers: 2, workerBudgetSeconds: 60, workerCapacityPerSecond: 1000 };

describe("sendmessage with a fan-out queue (dynalite + fake @connections)", () => {
  const peers = useChatPeers({ recordRequests: false });

  /** A queue that takes every job, into `queued`. */
  const takeAll =
    (queued: FanoutJob[]): JobQueue["send"] =>
    async (jobs) => {
      queued.push(...jobs);
      return { queued: jobs.length, failures: {} };
    };

  async function setup(recipients: number, queue: JobQueue) {
    const tableName = await peers.freshTable();
    const ids = connectionIds(recipients, `${tableName}-`);
    await seedConnections(peers.dynamo.client, tableName, ids, peers.api);
    const deps = { ...peers.deps(tableName), fanout: { queue, budget: BUDGET } };
    return { ids, deps, event: wsEvent("sendmessage", ids[0], JSON.stringify({ action: "sendmessage", data: "hi" })) };
  }

  test("at the inline limit the broadcast is delivered inline, nothing is queued", async () => {
    const queued: FanoutJob[] = [];
    const { ids, deps, event } = await setup(40, { send: takeAll(queued) });

    const result = await sendMessage(deps, event);

    expect(result).toMatchObject({ statusCode: 200 });
    expect(queued).toEqual([]);
    for (const id of ids) expect(peers.api.received(id)).toEqual(["hi"]);
  });

  test("a small chat is read once: its one page of at most inline limit + 1 items is delivered from, no COUNT, no second scan", async () => {
    const { ids, deps, event } = await setup(3, { send: async () => Promise.reject(new Error("nothing should be queued")) });

    const result = await sendMessage(deps, event);

    expect(result).toMatchObject({ statusCode: 200 });
    for (const id of ids) expect(peers.api.received(id)).toEqual(["hi"]);
    expect(deps.counters.scans).toBe(1);
  });

  test("a table bigger than one page of inline limit + 1 is counted in parallel, exactly", async () => {
    const queued: FanoutJob[] = [];
    const { deps, event } = await setup(95, { send: takeAll(queued) });

    const result = await sendMessage(deps, event);

    expect(result).toMatchObject({ statusCode: 202 });
    expect(deps.logs.withMessage("broadcast split")).toEqual([expect.objectContaining({ recipients: 95 })]);
    expect(deps.counters.scans).toBe(1 + COUNT_PARALLELISM);
  });

  test("above it, one job per segment is queued and the sender is acknowledged at once; nobody is posted inline", async () => {
    const queued: FanoutJob[] = [];
    const { ids, deps, event } = await setup(41, { send: takeAll(queued) });

    const result = await sendMessage(deps, event);

    expect(result).toMatchObject({ statusCode: 202 });
    const [ack, ...rest] = peers.api.received(ids[0]);
    expect(rest).toEqual([]);
    const accepted = JSON.parse(ack) as BroadcastAccepted;
    expect(accepted).toMatchObject({ type: "broadcast-accepted", recipients: 41, segments: 2, queued: 2 });
    expect(queued.map((job) => [job.segment, job.segments, job.sender, job.data, job.broadcastId])).toEqual([
      [0, 2, ids[0], "hi", accepted.broadcastId],
      [1, 2, ids[0], "hi", accepted.broadcastId],
    ]);
    expect(ids.slice(1).every((id) => peers.api.received(id).length === 0)).toBe(true);
    expect(deps.logs.withMessage("broadcast split")).toEqual([expect.objectContaining({ recipients: 41, segments: 2, broadcastId: accepted.broadcastId })]);
  });

  test("a queue that refuses the jobs is an error the sender hears of, logged as such", async () => {
    const { ids, deps, event } = await setup(41, { send: async () => Promise.reject(new Error("queue down")) });

    const result = await sendMessage(deps, event);

    expect(result).toMatchObject({ statusCode: 500 });
    expect(JSON.parse(peers.api.received(ids[0])[0])).toMatchObject({ type: "error", code: "INTERNAL_ERROR" });
    expect(deps.logs.withMessage("broadcast not split")).toEqual([expect.objectContaining({ stage: "queued", detail: "Error: queue down" })]);
  });

  test("a queue that takes only some jobs: the sender learns how many parts are under way, not 'nobody got it', and the loss is logged and counted", async () => {
    const queued: FanoutJob[] = [];
    const { ids, deps, event } = await setup(41, {
      send: async (jobs): Promise<Enqueued> => {
        queued.push(jobs[0]);
        return { queued: 1, failures: { "entry:InternalError": jobs.length - 1 } };
      },
    });

    const result = await sendMessage(deps, event);

    expect(result).toMatchObject({ statusCode: 502 });
    const answers = peers.api.received(ids[0]).map((frame) => JSON.parse(frame) as { type: string });
    expect(answers).toEqual([{ type: "broadcast-accepted", broadcastId: queued[0].broadcastId, recipients: 41, segments: 2, queued: 1 }]);
    expect(deps.logs.withMessage("broadcast partly queued")).toEqual([
      expect.objectContaining({ level: "ERROR", segments: 2, queued: 1, failures: { "entry:InternalError": 1 }, reply: "sent" }),
    ]);
    expect(deps.emf.lines).toEqual([expect.objectContaining({ [METRIC.broadcastsWithFailures.name]: 1 })]);
  });
});

describe("SqsJobQueue: what it reports as queued", () => {
  const jobs = jobsFor({ broadcastId: "b-q", sender: "s", data: "hi", segments: 25, startedAt: 1 });

  /** An SQS client whose SendMessageBatch answers as `answer` says, recording each call's entry ids. */
  function sqs(answer: (ids: string[], call: number) => Array<{ Id: string; Code: string }>) {
    const calls: string[][] = [];
    const client = {
      send: async (command: SendMessageBatchCommand) => {
        const ids = (command.input.Entries ?? []).map((entry) => entry.Id ?? "");
        calls.push(ids);
        return { Successful: [], Failed: answer(ids, calls.length).map((failed) => ({ ...failed, SenderFault: false })) };
      },
    } as unknown as SQSClient;
    return { queue: new SqsJobQueue(client, "https://sqs.invalid/123456789012/jobs"), calls };
  }

  test("entries a batch refused are sent again; one still refused after three rounds is counted by SQS's code", async () => {
    // Job 3 is refused every time; job 12 only the first time.
    const refusedOnce = new Set<string>();
    const { queue, calls } = sqs((ids) =>
      ids.flatMap((id) => {
        if (id === "3") return [{ Id: id, Code: "InternalError" }];
        if (id !== "12" || refusedOnce.has(id)) return [];
        refusedOnce.add(id);
        return [{ Id: id, Code: "ServiceUnavailable" }];
      }),
    );

    await expect(queue.send(jobs)).resolves.toEqual({ queued: 24, failures: { "entry:InternalError": 1 } });
    expect(calls.map((ids) => ids.length)).toEqual([10, 1, 1, 10, 1, 5]);
  });

  test("a call that fails after the SDK's retries stops the sending: the jobs before it are queued, the rest counted under its error", async () => {
    const { queue, calls } = sqs((_ids, call) => {
      if (call === 2) throw Object.assign(new Error("down"), { name: "ServiceUnavailable" });
      return [];
    });

    await expect(queue.send(jobs)).resolves.toEqual({ queued: 10, failures: { ServiceUnavailable: 15 } });
    expect(calls).toHaveLength(2);
  });
});
