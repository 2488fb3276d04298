import { DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";
import { jobsFor, parseJob } from "../lambdas/fanout/job";
import { SqsJobQueue } from "../lambdas/fanout/queue";
import { startEventSourceMapping } from "../tools/gateway/event-source-mapping";
import { LOCAL_CREDENTIALS } from "../tools/fakes/local-aws";
import { LocalQueue } from "../tools/gateway/local-queue";
import { type SqsServer, startSqsServer } from "../tools/gateway/sqs-server";
import { eventually } from "./support/ws-client";

const VISIBILITY_SECONDS = 0.3;
const MAX_RECEIVE_COUNT = 2;

describe("local SQS queue (npm run dev), through the real SDK v3 SQS client", () => {
  let deadLetter: LocalQueue;
  let queue: LocalQueue;
  let server: SqsServer;
  let client: SQSClient;

  beforeEach(async () => {
    deadLetter = new LocalQueue("dlq");
    queue = new LocalQueue("jobs", { visibilityTimeoutSeconds: VISIBILITY_SECONDS, redrive: { deadLetter, maxReceiveCount: MAX_RECEIVE_COUNT } });
    server = await startSqsServer([queue, deadLetter]);
    client = new SQSClient({ region: "ap-northeast-1", credentials: LOCAL_CREDENTIALS, endpoint: server.endpoint, maxAttempts: 1 });
  });
  afterEach(async () => {
    client.destroy();
    await server.close();
  });

  const receive = async (url = server.queueUrl(queue)) =>
    (await client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["All"] }))).Messages ?? [];
  const stored = async (q: LocalQueue) =>
    Number(
      (await client.send(new GetQueueAttributesCommand({ QueueUrl: server.queueUrl(q), AttributeNames: ["ApproximateNumberOfMessages"] }))).Attributes
        ?.ApproximateNumberOfMessages,
    );

  test("sendmessage's SendMessageBatch jobs are received once each, with bodies the SDK's MD5 check accepts", async () => {
    const jobs = jobsFor({ broadcastId: "b", sender: "s", data: "hi", segments: 12, startedAt: 1 });
    await new SqsJobQueue(client, server.queueUrl(queue)).send(jobs);

    const first = [...(await receive()), ...(await receive())];

    expect(first.map((m) => parseJob(m.Body ?? "").segment).sort((a, b) => a - b)).toEqual(jobs.map((j) => j.segment));
    expect(await receive()).toEqual([]);
  });

  test("a message not deleted reappears after the visibility timeout with a higher receive count; only the latest receipt handle deletes it", async () => {
    await new SqsJobQueue(client, server.queueUrl(queue)).send(jobsFor({ broadcastId: "b", sender: "s", data: "hi", segments: 1, startedAt: 1 }));
    const [first] = await receive();
    expect(first.Attributes?.ApproximateReceiveCount).toBe("1");
    expect(await receive()).toEqual([]);

    await new Promise((resolve) => setTimeout(resolve, VISIBILITY_SECONDS * 1000 + 50));
    const [second] = await receive();
    expect(second).toMatchObject({ MessageId: first.MessageId, Attributes: expect.objectContaining({ ApproximateReceiveCount: "2" }) });

    await client.send(new DeleteMessageCommand({ QueueUrl: server.queueUrl(queue), ReceiptHandle: first.ReceiptHandle }));
    expect(await stored(queue)).toBe(1);
    await client.send(new DeleteMessageCommand({ QueueUrl: server.queueUrl(queue), ReceiptHandle: second.ReceiptHandle }));
    expect(await stored(queue)).toBe(0);
  });

  test("the event source mapping retries a job its handler reports failed, then SQS's redrive moves it to the dead-letter queue", async () => {
    await new SqsJobQueue(client, server.queueUrl(queue)).send(jobsFor({ broadcastId: "b", sender: "s", data: "hi", segments: 2, startedAt: 1 }));
    const seen: Array<[number, string]> = [];
    const handler = async (event: SQSEvent) => {
      const [record] = event.Records;
      const { segment } = parseJob(record.body);
      seen.push([segment, record.attributes.ApproximateReceiveCount]);
      return { batchItemFailures: segment === 1 ? [{ itemIdentifier: record.messageId }] : [] };
    };
    const mapping = startEventSourceMapping({
      client,
      queueUrl: server.queueUrl(queue),
      handler,
      maximumConcurrency: 2,
      functionName: "w",
      region: "ap-northeast-1",
      timeoutMs: 1000,
    });
    try {
      await eventually(() => deadLetter.size === 1, 5000, "dead-lettered");
    } finally {
      await mapping.stop();
    }

    expect(seen.sort()).toEqual([
      [0, "1"],
      [1, "1"],
      [1, "2"],
    ]);
    expect(queue.size).toBe(0);
    expect(parseJob((await receive(server.queueUrl(deadLetter)))[0].Body ?? "").segment).toBe(1);
  });
});
