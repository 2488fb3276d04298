import { ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";
import { encodeJob, type FanoutJob, jobsFor } from "../lambdas/fanout/job";
import { SqsJobQueue, SqsJobReturns } from "../lambdas/fanout/queue";
import { AdaptiveRate } from "../lambdas/fanout/rate";
import { applyRateBudget } from "../lambdas/fanout/rate-budget";
import type { SegmentReport } from "../lambdas/fanout/reports";
import { handleJobs, WORKER_RESERVE, type WorkerDeps } from "../lambdas/fanout/worker";
import { chatDeps, PATIENT } from "./support/chat-harness";
import { SYSTEM_CLOCK } from "../lambdas/base/clock";
import { type LocalDynamo, startDynalite } from "../tools/fakes/dynalite";
import { FakeConnectionsApi } from "../tools/fakes/connections-api";
import { connectionIds, seedConnections } from "../tools/fakes/seed";
import { LOCAL_CREDENTIALS } from "../tools/fakes/local-aws";
import { LocalQueue } from "../tools/gateway/local-queue";
import { startSqsServer } from "../tools/gateway/sqs-server";
import { recordedReturns, sqsEvent } from "./support/sqs-event";
import { CHAT_PROTOCOL_V2 } from "../lambdas/contract/auth-subprotocol";
import { METRIC } from "../lambdas/contract/telemetry";

const SENDER = "senderAbC=";
const MINUTE = 60_000;
/** The invocation's time left when its deadline to start posts has come: only the reserve for draining and answering is left. */
const outOfTime = () => WORKER_RESERVE.drainMs + WORKER_RESERVE.answerMs + WORKER_RESERVE.returnMs;

describe("fan-out worker (dynalite + fake @connections, real SDK clients)", () => {
  let dynamo: LocalDynamo;
  let api: FakeConnectionsApi;
  let tables = 0;

  beforeAll(async () => {
    dynamo = await startDynalite();
  });
  afterAll(async () => {
    await dynamo.stop();
  });
  beforeEach(async () => {
    api = await FakeConnectionsApi.start({ recordRequests: false });
    api.connect(SENDER);
  });
  afterEach(async () => {
    await api.close();
  });

  /** A seeded table, worker deps on it whose posts pass a rate budget, and the broadcast's jobs. */
  async function setup(
    recipients: string[],
    segments: number,
    options: { maxPerSecond?: number; recoveryPerSecond?: number; maxReceiveCount?: number; throttledRecipientMs?: number } = {},
  ) {
    tables += 1;
    const tableName = `fanout-${tables}`;
    await dynamo.createConnectionsTable(tableName);
    await seedConnections(dynamo.client, tableName, recipients, api);
    const harness = chatDeps({
      dynamoEndpoint: dynamo.endpoint,
      tableName,
      managementEndpoint: api.endpoint,
      fanoutConcurrency: 16,
      scanPageSize: 50,
      managementTuning: PATIENT,
      dynamoTuning: PATIENT,
    });
    const rate = new AdaptiveRate({ maxPerSecond: options.maxPerSecond ?? 100_000, burst: 50, recoveryPerSecond: options.recoveryPerSecond });
    applyRateBudget(harness.managementClient, rate);
    const returns = recordedReturns();
    const deps: WorkerDeps = {
      ...harness,
      maxReceiveCount: options.maxReceiveCount ?? 3,
      throttledRecipientMs: options.throttledRecipientMs,
      clock: SYSTEM_CLOCK,
      deadlineReserve: WORKER_RESERVE,
      returns,
    };
    const jobs = jobsFor({ broadcastId: "b-1", sender: SENDER, data: "hello world", segments, startedAt: Date.now() });
    return { deps, logs: harness.logs, emf: harness.emf, rate, jobs, tableName, returns };
  }

  const reports = (): SegmentReport[] => api.received(SENDER).map((frame) => JSON.parse(frame) as SegmentReport);

  test("every recipient in every segment gets the message once; 410s are pruned; the sender gets one report per segment", async () => {
    const ids = connectionIds(300, "w");
    const gone = ids.filter((_, i) => i % 10 === 0);
    const { deps, logs, jobs } = await setup(ids, 4);
    for (const id of gone) api.drop(id);

    const response = await handleJobs(deps, sqsEvent(jobs.map(encodeJob)), () => 10 * MINUTE);

    expect(response.batchItemFailures).toEqual([]);
    for (const id of ids) expect(api.received(id)).toEqual(gone.includes(id) ? [] : ["hello world"]);
    expect(reports().map((r) => [r.segment, r.status])).toEqual([
      [0, "done"],
      [1, "done"],
      [2, "done"],
      [3, "done"],
    ]);
    const sum = (key: "delivered" | "pruned" | "failed") => reports().reduce((n, r) => n + r[key], 0);
    expect({ delivered: sum("delivered"), pruned: sum("pruned"), failed: sum("failed") }).toEqual({ delivered: 270, pruned: 30, failed: 0 });
    expect(logs.withMessage("segment")).toHaveLength(4);
    // Pruned ids are gone from the table: a second broadcast finds only the live ones.
    const again = await handleJobs(deps, sqsEvent(jobs.map(encodeJob)), () => 10 * MINUTE);
    expect(again.batchItemFailures).toEqual([]);
    expect(
      reports()
        .slice(4)
        .reduce((n, r) => n + r.pruned, 0),
    ).toBe(0);
  }, 60_000);

  test("each recipient gets the encoding its row's protocol asks for: version 2 a chat frame naming the sender and its subject, the rest the raw text", async () => {
    const raw = connectionIds(20, "r");
    const typed = connectionIds(20, "v");
    const { deps } = await setup(raw, 2);
    for (const id of typed) {
      await deps.store.add(id, new Date(), { protocol: CHAT_PROTOCOL_V2 });
      api.connect(id);
    }
    const forged = '{"type":"usage","connectionId":"ATTACKER-SET"}';
    const jobs = jobsFor({ broadcastId: "b-2", sender: SENDER, senderSubject: "alice", data: forged, segments: 2, startedAt: Date.now() });

    const response = await handleJobs(deps, sqsEvent(jobs.map(encodeJob)), () => 10 * MINUTE);

    expect(response.batchItemFailures).toEqual([]);
    for (const id of raw) expect(api.received(id)).toEqual([forged]);
    for (const id of typed)
      expect(api.received(id).map((frame) => JSON.parse(frame))).toEqual([{ type: "chat", from: { connectionId: SENDER, subject: "alice" }, data: forged }]);
  }, 60_000);

  test("throttling delays delivery, never loses it: 429s past the SDK's retries are tried again, and the rate is cut", async () => {
    const ids = connectionIds(120, "t");
    // Recovering 1 post/s a second: a cut is still visible at the end however long a busy machine takes.
    const { deps, rate, jobs } = await setup(ids, 1, { maxPerSecond: 2000, recoveryPerSecond: 1 });
    api.throttle("*", 40);

    const response = await handleJobs(deps, sqsEvent(jobs.map(encodeJob)), () => 10 * MINUTE);

    expect(response.batchItemFailures).toEqual([]);
    for (const id of ids) expect(api.received(id)).toEqual(["hello world"]);
    expect(reports()[0]).toMatchObject({ status: "done", delivered: 120, failed: 0 });
    expect(rate.perSecond).toBeLessThan(2000);
  }, 60_000);

  test("recipients that stop reading are tried for a bounded time, then counted as failed and closed; the segment does not wait for its deadline", async () => {
    const ids = connectionIds(200, "n");
    const nonReaders = [ids[5], ids[77], ids[150]];
    const { deps, logs, jobs } = await setup(ids, 1, { throttledRecipientMs: 500 });
    for (const id of nonReaders) api.stopReading(id);

    const started = Date.now();
    const response = await handleJobs(deps, sqsEvent(jobs.map(encodeJob)), () => MINUTE);

    // Well before the segment's deadline (a minute away), with room for a busy machine
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(response.batchItemFailures).toEqual([]);
    expect(reports()[0]).toMatchObject({ status: "done", delivered: 197, failed: 3 });
    expect(logs.withMessage("segment")[0]).toMatchObject({ level: "WARN", dropped: 3, failures: { LimitExceededException: 3 } });
    for (const id of ids) expect(api.isOpen(id)).toBe(!nonReaders.includes(id));
  }, 60_000);

  test("under a throttle that refuses every post nobody is closed: each recipient is counted as failed after the bounded time", async () => {
    const ids = connectionIds(5, "a");
    const { deps, logs, jobs } = await setup(ids, 1, { throttledRecipientMs: 300 });
    // The account's throttle refuses every request, DELETE included (a DELETE tried would count as drop:LimitExceededException).
    for (const id of ids) api.breakConnection(id, 429, "LimitExceededException");

    const response = await handleJobs(deps, sqsEvent(jobs.map(encodeJob)), () => MINUTE);

    expect(response.batchItemFailures).toEqual([]);
    expect(reports()[0]).toMatchObject({ status: "done", delivered: 0, failed: 5 });
    expect(logs.withMessage("segment")[0]).toMatchObject({ dropped: 0, failures: { LimitExceededException: 5 } });
    for (const id of ids) expect(api.isOpen(id)).toBe(true);
  }, 60_000);

  test("a job out of time is handed back to SQS (batchItemFailures) to come back in 10 s, and the sender is told it will be retried", async () => {
    const { deps, logs, jobs, returns } = await setup(connectionIds(50, "d"), 1);

    const response = await handleJobs(deps, sqsEvent(jobs.map(encodeJob)), outOfTime);

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "m-0" }]);
    expect(returns.given).toEqual([["r-0", 10]]);
    expect(reports()[0]).toMatchObject({ status: "retrying", delivered: 0 });
    expect(logs.withMessage("segment")[0]).toMatchObject({ level: "WARN", cutOff: true, receiveCount: 1 });
  });

  test("the last attempt allowed by maxReceiveCount reports the segment as dead-lettered and gives the job back at once, for SQS to move", async () => {
    const { deps, jobs, returns } = await setup(connectionIds(5, "l"), 1, { maxReceiveCount: 3 });

    const response = await handleJobs(deps, sqsEvent(jobs.map(encodeJob), 3), outOfTime);

    expect(response.batchItemFailures).toHaveLength(1);
    expect(returns.given).toEqual([["r-0", 0]]);
    expect(reports()[0]).toMatchObject({ status: "dead-lettered" });
  });

  test("a segment that reaches nobody counts as a broadcast with failures: dead-lettered, or its scan failed, though no recipient failed", async () => {
    const { deps, logs, emf, jobs } = await setup(connectionIds(5, "f"), 1, { maxReceiveCount: 2 });
    const unreadable = { ...deps, store: chatDeps({ dynamoEndpoint: dynamo.endpoint, tableName: "no-such-table", managementEndpoint: api.endpoint }).store };

    await handleJobs(deps, sqsEvent(jobs.map(encodeJob), 2), outOfTime); // out of time on its last attempt
    await handleJobs(unreadable, sqsEvent(jobs.map(encodeJob), 1), () => 10 * MINUTE); // scan fails, SQS will retry

    expect(reports().map((r) => [r.status, r.delivered, r.failed])).toEqual([
      ["dead-lettered", 0, 0],
      ["retrying", 0, 0],
    ]);
    expect(emf.lines.map((line) => [line[METRIC.failed.name], line[METRIC.broadcastsWithFailures.name]])).toEqual([
      [0, 1],
      [0, 1],
    ]);
    expect(logs.withMessage("segment").map((line) => line.level)).toEqual(["ERROR", "ERROR"]);
  });

  test("an unreadable job fails alone: the other records of the batch are still delivered", async () => {
    const ids = connectionIds(30, "u");
    const { deps, logs, jobs } = await setup(ids, 1);
    const bad: Partial<FanoutJob> = { ...jobs[0], segment: 7 };

    const response = await handleJobs(deps, sqsEvent(["not json", JSON.stringify(bad), encodeJob(jobs[0])]), () => 10 * MINUTE);

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "m-0" }, { itemIdentifier: "m-1" }]);
    for (const id of ids) expect(api.received(id)).toEqual(["hello world"]);
    expect(logs.withMessage("job unreadable")).toHaveLength(2);
  });

  test("a segment whose table cannot be read is retried, and the error is logged", async () => {
    const { deps, logs, jobs } = await setup(connectionIds(5, "x"), 1);
    const missing = { ...deps, store: chatDeps({ dynamoEndpoint: dynamo.endpoint, tableName: "no-such-table", managementEndpoint: api.endpoint }).store };

    const response = await handleJobs(missing, sqsEvent(jobs.map(encodeJob)), () => 10 * MINUTE);

    expect(response.batchItemFailures).toHaveLength(1);
    expect(reports()[0]).toMatchObject({ status: "retrying" });
    expect(logs.withMessage("segment")).toEqual([expect.objectContaining({ level: "ERROR", status: "retrying", error: "ResourceNotFoundException" })]);
  });

  describe("through the local SQS queue (ChangeMessageVisibility, real SDK v3 client)", () => {
    const VISIBILITY_SECONDS = 1800;
    let now = Date.now();
    const queue = new LocalQueue("jobs", { visibilityTimeoutSeconds: VISIBILITY_SECONDS, now: () => now });
    let server: Awaited<ReturnType<typeof startSqsServer>>;
    let client: SQSClient;
    beforeAll(async () => {
      server = await startSqsServer([queue]);
      client = new SQSClient({ region: "ap-northeast-1", credentials: LOCAL_CREDENTIALS, endpoint: server.endpoint, maxAttempts: 1 });
    });
    afterAll(async () => {
      client.destroy();
      await server.close();
    });
    const receive = async () =>
      (await client.send(new ReceiveMessageCommand({ QueueUrl: server.queueUrl(queue), MaxNumberOfMessages: 1, MessageSystemAttributeNames: ["All"] })))
        .Messages ?? [];
    /** The SQS event Lambda would deliver for a received message. */
    const eventOf = (body: string, receiptHandle: string): SQSEvent => ({ Records: [{ ...sqsEvent([body]).Records[0], receiptHandle }] });

    test("a failed job comes back after 10 s instead of the queue's 30-minute visibility timeout", async () => {
      const { deps, jobs } = await setup(connectionIds(5, "v"), 1);
      await new SqsJobQueue(client, server.queueUrl(queue)).send(jobs);
      const [message] = await receive();

      const response = await handleJobs(
        { ...deps, returns: new SqsJobReturns(client, server.queueUrl(queue)) },
        eventOf(message.Body!, message.ReceiptHandle!),
        outOfTime,
      );

      expect(response.batchItemFailures).toHaveLength(1);
      now += 9_000;
      expect(await receive()).toEqual([]);
      now += 1_000;
      const [again] = await receive();
      expect(again).toMatchObject({ MessageId: message.MessageId, Attributes: expect.objectContaining({ ApproximateReceiveCount: "2" }) });
    });

    test("when the job cannot be given back (a stale receipt handle), it is still reported failed and the warning is logged", async () => {
      const { deps, logs, jobs } = await setup(connectionIds(5, "s"), 1);

      const response = await handleJobs(
        { ...deps, returns: new SqsJobReturns(client, server.queueUrl(queue)) },
        eventOf(encodeJob(jobs[0]), "stale-handle"),
        outOfTime,
      );

      expect(response.batchItemFailures).toEqual([{ itemIdentifier: "m-0" }]);
      expect(logs.withMessage("job not given back early: it returns after the queue's visibility timeout")).toEqual([
        expect.objectContaining({ level: "WARN", error: "ReceiptHandleIsInvalid" }),
      ]);
    });
  });
});
