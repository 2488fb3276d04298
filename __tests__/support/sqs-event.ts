import type { SQSEvent, SQSRecord } from "aws-lambda";

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
