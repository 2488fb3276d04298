import { once } from "node:events";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { type AddressInfo, createServer, type Socket } from "node:net";
import { type ClientTuning, DEFAULT_REQUEST_TIMEOUT_MS } from "../lambdas/base/clients";
import type { FanoutJob } from "../lambdas/fanout/job";
import type { Enqueued } from "../lambdas/fanout/queue";
import { createQueueClient, QUEUE_TUNING, RETURN_TUNING, SqsJobQueue, SqsJobReturns } from "../lambdas/fanout/queue";
import { LOCAL_AWS } from "../tools/fakes/local-aws";

/** An SQS endpoint that accepts connections and never answers. */
async function hungPeer(): Promise<{ url: string; attempts: () => number; close: () => Promise<void> }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket)).listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    attempts: () => sockets.length,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** What `call` came to against the hung peer (a value, or what it threw), how long it took, and how many connections the peer saw. */
async function against(tuning: ClientTuning, call: (client: SQSClient, queueUrl: string) => Promise<unknown>) {
  const peer = await hungPeer();
  try {
    const client = createQueueClient(tuning, { ...LOCAL_AWS, endpoint: peer.url });
    const started = Date.now();
    const outcome = await call(client, `${peer.url}/000000000000/jobs`).catch((thrown: unknown) => thrown);
    return { outcome, ms: Date.now() - started, attempts: peer.attempts() };
  } finally {
    await peer.close();
  }
}

describe("the jobs queue's clients against an SQS endpoint that hangs", () => {
  // Side by side: each waits on its own hung peer, seconds of timeouts with nothing to compute.
  test.concurrent("the worker's give-back makes one attempt and fails after its request timeout, inside its share of the worker's reserve", async () => {
    const { outcome, ms, attempts } = await against(RETURN_TUNING, (client, queueUrl) => new SqsJobReturns(client, queueUrl).returnAfter("receipt", 10));
    expect(outcome).toBeInstanceOf(Error);
    expect(attempts).toBe(1);
    expect(ms).toBeGreaterThanOrEqual(DEFAULT_REQUEST_TIMEOUT_MS - 100);
    expect(ms).toBeLessThan(DEFAULT_REQUEST_TIMEOUT_MS + 2000);
  });

  test.concurrent("sendmessage's enqueue retries, then reports the jobs not queued within seconds, inside API Gateway's 29 s", async () => {
    const job = { v: 1, broadcastId: "b", sender: "s", data: "hi", segment: 0 } as unknown as FanoutJob;
    const { outcome, attempts, ms } = await against(QUEUE_TUNING, (client, queueUrl) => new SqsJobQueue(client, queueUrl).send([job]));
    const { queued, failures } = outcome as Enqueued;
    expect({ queued, notQueued: Object.values(failures) }).toEqual({ queued: 0, notQueued: [1] });
    expect(attempts).toBe(QUEUE_TUNING.maxAttempts);
    expect(ms).toBeLessThan(QUEUE_TUNING.maxAttempts! * (DEFAULT_REQUEST_TIMEOUT_MS + 1000));
  }, 30_000);
});
