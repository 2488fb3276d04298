import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { text } from "node:stream/consumers";
import { SQS_BATCH_ENTRIES } from "../../lambdas/fanout/queue";
import type { LocalQueue, ReceivedMessage } from "./local-queue";

/** ReceiveMessage's WaitTimeSeconds maximum, 20 s (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html). */
const MAX_WAIT_SECONDS = 20;
/** How often a long poll looks again for visible messages. */
const POLL_MS = 25;

/** A local SQS endpoint: the queues, reachable by the SDK v3 SQS client at `endpoint` (AWS_ENDPOINT_URL_SQS). */
export interface SqsServer {
  readonly endpoint: string;
  /** The URL of a queue, as SQS names it: `<endpoint>/<account>/<name>`. */
  queueUrl(queue: LocalQueue): string;
  close(): Promise<void>;
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

class SqsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Serves `queues` over the AWS JSON 1.0 protocol that `@aws-sdk/client-sqs` speaks (a POST per
 * call, the operation in `X-Amz-Target: AmazonSQS.<Operation>`): SendMessage, SendMessageBatch,
 * ReceiveMessage (long polling), DeleteMessage, ChangeMessageVisibility and GetQueueAttributes
 * (message count). Requests are not authenticated.
 */
export async function startSqsServer(queues: readonly LocalQueue[], host = "127.0.0.1"): Promise<SqsServer> {
  const byName = new Map(queues.map((queue) => [queue.name, queue]));
  let closing = false;
  const server = createServer((req, res) => {
    // An aborted request (the reader's socket gone) must not become an unhandled rejection that stops npm run dev.
    answer(req).then(
      (result) => reply(res, result),
      () => res.destroy(),
    );
  });

  async function answer(req: IncomingMessage): Promise<Answer> {
    const body = await text(req);
    const operation = String(req.headers["x-amz-target"] ?? "").replace(/^AmazonSQS\./, "");
    try {
      const input = JSON.parse(body || "{}") as Record<string, unknown>;
      return { status: 200, body: await perform(operation, input) };
    } catch (error) {
      if (error instanceof SqsError) return { status: 400, body: { __type: `com.amazonaws.sqs#${error.code}`, message: error.message } };
      return { status: 400, body: { __type: "com.amazonaws.sqs#InvalidParameterValue", message: String(error) } };
    }
  }

  function queueOf(input: Record<string, unknown>): LocalQueue {
    const name =
      String(input.QueueUrl ?? "")
        .split("/")
        .pop() ?? "";
    const queue = byName.get(name);
    if (!queue) throw new SqsError("QueueDoesNotExist", `The specified queue does not exist: ${String(input.QueueUrl)}`);
    return queue;
  }

  async function perform(operation: string, input: Record<string, unknown>): Promise<unknown> {
    switch (operation) {
      case "SendMessage": {
        const sent = queueOf(input).send(String(input.MessageBody));
        return { MessageId: sent.messageId, MD5OfMessageBody: sent.md5OfBody };
      }
      case "SendMessageBatch": {
        const queue = queueOf(input);
        const entries = (input.Entries ?? []) as Array<{ Id: string; MessageBody: string }>;
        if (entries.length > SQS_BATCH_ENTRIES)
          throw new SqsError("TooManyEntriesInBatchRequest", `at most ${SQS_BATCH_ENTRIES} entries, got ${entries.length}`);
        const Successful = entries.map((entry) => {
          const sent = queue.send(entry.MessageBody);
          return { Id: entry.Id, MessageId: sent.messageId, MD5OfMessageBody: sent.md5OfBody };
        });
        return { Successful, Failed: [] };
      }
      case "ReceiveMessage":
        return { Messages: (await receive(queueOf(input), input)).map(wireMessage) };
      case "DeleteMessage":
        queueOf(input).delete(String(input.ReceiptHandle));
        return {};
      case "ChangeMessageVisibility": {
        const receiptHandle = String(input.ReceiptHandle);
        if (!queueOf(input).changeVisibility(receiptHandle, Number(input.VisibilityTimeout))) {
          throw new SqsError("ReceiptHandleIsInvalid", `The input receipt handle "${receiptHandle}" is not the latest receive of a message in the queue`);
        }
        return {};
      }
      case "GetQueueAttributes":
        return { Attributes: { ApproximateNumberOfMessages: String(queueOf(input).size) } };
      default:
        throw new SqsError("UnsupportedOperation", `the local queue does not implement ${operation || "(no X-Amz-Target)"}`);
    }
  }

  async function receive(queue: LocalQueue, input: Record<string, unknown>): Promise<ReceivedMessage[]> {
    const max = Number(input.MaxNumberOfMessages ?? 1);
    const visibility = input.VisibilityTimeout === undefined ? undefined : Number(input.VisibilityTimeout);
    const until = Date.now() + Math.min(MAX_WAIT_SECONDS, Number(input.WaitTimeSeconds ?? 0)) * 1000;
    for (;;) {
      const messages = queue.receive(max, visibility);
      if (messages.length > 0 || Date.now() >= until || closing) return messages;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  server.listen(0, host);
  await once(server, "listening");
  const endpoint = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    queueUrl: (queue) => `${endpoint}/000000000000/${queue.name}`,
    async close() {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
    },
  };
}

function wireMessage(message: ReceivedMessage) {
  return {
    MessageId: message.messageId,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    Attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt),
      ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
      SenderId: "AIDALOCAL",
    },
  };
}

function reply(res: ServerResponse, result: Answer): void {
  const body = JSON.stringify(result.body);
  res.writeHead(result.status, { "content-type": "application/x-amz-json-1.0", "content-length": Buffer.byteLength(body) });
  res.end(body);
}
