import { DeleteMessageCommand, type Message, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { buildContext } from "./api-gateway-event";

/** A Lambda handler fed by an SQS event source. */
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

/** What one invocation did, for the gateway's output. */
export interface Invocation {
  readonly record: SQSRecord;
  /** "ok" (deleted), "failed" (reported in batchItemFailures: left to reappear), or the error the handler threw. */
  readonly outcome: "ok" | "failed" | `threw: ${string}`;
  readonly durationMs: number;
}

export interface EventSourceMappingOptions {
  /** The real SDK v3 client, pointed at the local queue (AWS_ENDPOINT_URL_SQS or `endpoint`). */
  readonly client: SQSClient;
  readonly queueUrl: string;
  readonly handler: SqsHandler;
  /** Invocations at once (the mapping's `maximum_concurrency`); each takes one message (batch size 1, as the stack sets). */
  readonly maximumConcurrency: number;
  readonly functionName: string;
  readonly region: string;
  /** The function's timeout: the context's remaining time counts down from it. */
  readonly timeoutMs: number;
  /** Called after each invocation. */
  readonly onInvocation?: (invocation: Invocation) => void;
  /** Called when receiving or deleting fails (the pollers go on after a second). */
  readonly onPollError?: (error: unknown) => void;
}

/** Long poll of one ReceiveMessage; short enough that stopping does not wait long. */
const WAIT_TIME_SECONDS = 1;

/**
 * Lambda's SQS event source mapping with ReportBatchItemFailures, batch size 1: pollers receive a
 * message, invoke the handler with an SQS event, and delete the message unless the handler listed
 * it in `batchItemFailures` or threw; such a message reappears after the visibility timeout
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html).
 */
export function startEventSourceMapping(options: EventSourceMappingOptions): { stop(): Promise<void> } {
  let stopped = false;
  const arn = `arn:aws:sqs:${options.region}:000000000000:${options.queueUrl.split("/").pop()}`;

  async function invoke(message: Message): Promise<void> {
    const record = toRecord(message, arn, options.region);
    const started = Date.now();
    let outcome: Invocation["outcome"];
    try {
      const response = await options.handler({ Records: [record] }, buildContext(options.functionName, options.region, options.timeoutMs));
      outcome = response?.batchItemFailures.some((failure) => failure.itemIdentifier === record.messageId) ? "failed" : "ok";
    } catch (error) {
      outcome = `threw: ${String(error)}`;
    }
    if (outcome === "ok") await options.client.send(new DeleteMessageCommand({ QueueUrl: options.queueUrl, ReceiptHandle: record.receiptHandle }));
    options.onInvocation?.({ record, outcome, durationMs: Date.now() - started });
  }

  async function poll(): Promise<void> {
    while (!stopped) {
      try {
        const { Messages = [] } = await options.client.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: 1,
            WaitTimeSeconds: WAIT_TIME_SECONDS,
            MessageSystemAttributeNames: ["All"],
          }),
        );
        for (const message of Messages) await invoke(message);
      } catch (error) {
        // Lambda's pollers keep polling through errors too; a message not deleted reappears.
        if (!stopped) options.onPollError?.(error);
        await new Promise((resolve) => setTimeout(resolve, WAIT_TIME_SECONDS * 1000));
      }
    }
  }

  const pollers = Array.from({ length: options.maximumConcurrency }, () => poll());
  return {
    async stop() {
      stopped = true;
      await Promise.allSettled(pollers);
    },
  };
}

function toRecord(message: Message, eventSourceARN: string, awsRegion: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? "",
    receiptHandle: message.ReceiptHandle ?? "",
    body: message.Body ?? "",
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? "1",
      SentTimestamp: attributes.SentTimestamp ?? "",
      SenderId: attributes.SenderId ?? "",
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? "",
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? "",
    eventSource: "aws:sqs",
    eventSourceARN,
    awsRegion,
  };
}
