import type { SQSEvent, SQSRecord } from "aws-lambda";
import type { JobReturns } from "../../lambdas/fanout/queue";

/** A JobReturns that only records what the worker gave back: [receipt handle, delay in seconds]. */
export function recordedReturns(): JobReturns & { readonly given: Array<[string, number]> } {
  const given: Array<[string, number]> = [];
  return {
    given,
    async returnAfter(receiptHandle, delaySeconds) {
      given.push([receiptHandle, delaySeconds]);
    },
  };
}

/** An SQS event as Lambda's event source mapping delivers it: one record per message body. */
export function sqsEvent(bodies: readonly string[], receiveCount = 1): SQSEvent {
  return {
    Records: bodies.map(
      (body, i): SQSRecord => ({
        messageId: `m-${i}`,
        receiptHandle: `r-${i}`,
        body,
        attributes: {
          ApproximateReceiveCount: String(receiveCount),
          SentTimestamp: String(Date.now()),
          SenderId: "AROATEST",
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: "",
        eventSource: "aws:sqs",
        eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:wscf-fanout",
        awsRegion: "us-east-1",
      }),
    ),
  };
}
