import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { subscribe } from "../lambdas/routes/membership";
import { ChannelMembers } from "../lambdas/channels/members";
import { publishFromServer } from "../lambdas/routes/server-publish";
import { createDocumentClient } from "../lambdas/base/clients";
import { SYSTEM_CLOCK } from "../lambdas/base/clock";
import { MAX_CHANNELS_PER_CONNECTION } from "../lambdas/contract/channels";
import { encodeJob, type FanoutJob } from "../lambdas/fanout/job";
import type { JobQueue } from "../lambdas/fanout/queue";
import { handleJobs, WORKER_RESERVE, type WorkerDeps } from "../lambdas/fanout/worker";
import { LOCAL_AWS } from "../tools/fakes/local-aws";
import { connectionIds, seedConnections, seedMembers } from "../tools/fakes/seed";
import { PATIENT, wsEvent } from "./support/chat-harness";
import { useChatPeers } from "./support/chat-peers";
import { recordedReturns, sqsEvent } from "./support/sqs-event";

// dynalite and the fake @connections are in-process; PATIENT clients never time out a slow post and send it twice, so deliveries count exactly.
jest.setTimeout(60_000);

const BUDGET = { inlineLimit: 40, ratePerSecond: 1000, workers: 2, workerBudgetSeconds: 60, workerCapacityPerSecond: 1000 };

describe("channel members through dynalite (real SDK clients, fake @connections)", () => {
  const peers = useChatPeers({ recordRequests: false });

  /** A connections table with `ids` connected, a members table, and channel deps on both; `queries` records each members Query's input. */
  async function setup(ids: string[]) {
    const { dynamo, api } = peers;
    const tableName = await peers.freshTable();
    const membersTable = `members-of-${tableName}`;
    await dynamo.createMembersTable(membersTable);
    await seedConnections(peers.dynamo.client, tableName, ids, api);
    const documents = createDocumentClient(PATIENT, { ...LOCAL_AWS, endpoint: dynamo.endpoint });
    const queries: Array<Record<string, unknown>> = [];
    documents.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "QueryCommand") queries.push(args.input as Record<string, unknown>);
        return next(args);
      },
      { step: "initialize", name: "recordQueries" },
    );
    const members = new ChannelMembers(documents, membersTable, tableName);
    const deps = { ...peers.deps(tableName, { managementTuning: PATIENT, dynamoTuning: PATIENT }), members, channelAccess: "open" as const };
    return { deps, members, membersTable, queries };
  }

  const memberIds = async (membersTable: string, channel: string) => {
    const { Items = [] } = await peers.dynamo.client.send(
      new QueryCommand({ TableName: membersTable, KeyConditionExpression: "channel = :c", ExpressionAttributeValues: { ":c": { S: channel } } }),
    );
    return Items.map((item) => item.connectionId?.S).sort();
  };

  test(`the ${MAX_CHANNELS_PER_CONNECTION + 1}st subscribe is refused with CHANNEL_LIMIT; again to one it has succeeds; after an unsubscribe one more fits`, async () => {
    const [id] = connectionIds(1, `lim-`);
    const { deps, membersTable } = await setup([id]);
    const join = (channel: string) => subscribe(deps, wsEvent("subscribe", id, JSON.stringify({ action: "subscribe", channel })));
    for (let i = 0; i < MAX_CHANNELS_PER_CONNECTION; i += 1) expect(await join(`c/${i}`)).toMatchObject({ statusCode: 200 });
    const refused = await join("c/extra");
    expect(refused).toMatchObject({ statusCode: 409 });
    expect(JSON.parse(peers.api.received(id).at(-1)!)).toMatchObject({ type: "error", code: "CHANNEL_LIMIT" });
    expect(await memberIds(membersTable, "c/extra")).toEqual([]);
    // subscribing again to a channel it has is still a success at the limit
    expect(await join("c/0")).toMatchObject({ statusCode: 200 });
    expect(JSON.parse(peers.api.received(id).at(-1)!)).toEqual({ type: "subscribed", channel: "c/0" });
    await deps.members.leave(id, "c/1");
    expect(await join("c/extra")).toMatchObject({ statusCode: 200 });
    expect(await memberIds(membersTable, "c/extra")).toEqual([id]);
  });

  test("a channel above the inline limit is split into jobs of bucket ranges; the worker delivers to every member exactly once and prunes the gone", async () => {
    const members = connectionIds(300, `big-`);
    const others = connectionIds(60, `oth-`);
    const { deps, membersTable, queries } = await setup([...members, ...others]);
    await seedMembers(peers.dynamo.client, membersTable, "room/big", members);
    await seedMembers(peers.dynamo.client, membersTable, "room/other", others);
    const gone = members.filter((_, i) => i % 7 === 0);
    for (const id of gone) peers.api.drop(id);
    const queued: FanoutJob[] = [];
    const queue: JobQueue = {
      send: async (jobs) => {
        queued.push(...jobs);
        return { queued: jobs.length, failures: {} };
      },
    };

    const outcome = await publishFromServer({ ...deps, fanout: { queue, budget: BUDGET } }, { channel: "room/big", data: "to everyone in big" });

    expect(outcome).toMatchObject({ type: "broadcast-accepted", channel: "room/big", recipients: 300 });
    expect(queued.length).toBeGreaterThan(1);
    expect(outcome).toMatchObject({ segments: queued.length, queued: queued.length });
    for (const job of queued) expect(job).toMatchObject({ channel: "room/big", sender: "", data: "to everyone in big", segments: queued.length });
    // Nobody got it before the workers ran: the publish only counted and queued.
    for (const id of members) expect(peers.api.received(id)).toEqual([]);

    queries.length = 0;
    const worker: WorkerDeps = { ...deps, maxReceiveCount: 3, clock: SYSTEM_CLOCK, deadlineReserve: WORKER_RESERVE, returns: recordedReturns() };
    const response = await handleJobs(worker, sqsEvent(queued.map(encodeJob)), () => 10 * 60_000);

    expect(response.batchItemFailures).toEqual([]);
    // Each job Queried its own range of buckets, and only the channel's partition.
    const ranges = queries.map((input) => (input.ExpressionAttributeValues as Record<string, string>)[":from"]);
    expect(new Set(ranges).size).toBe(queued.length);
    for (const input of queries) expect(input.KeyConditionExpression).toContain("BETWEEN");
    const frame = JSON.stringify({ type: "message", channel: "room/big", from: { server: true }, data: "to everyone in big" });
    for (const id of members) expect(peers.api.received(id)).toEqual(gone.includes(id) ? [] : [frame]);
    for (const id of others) expect(peers.api.received(id)).toEqual([]);
    expect(await memberIds(membersTable, "room/big")).toEqual(members.filter((id) => !gone.includes(id)).sort());
    expect(await memberIds(membersTable, "room/other")).toHaveLength(others.length);
  });
});
