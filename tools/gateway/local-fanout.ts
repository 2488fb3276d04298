import { SQSClient } from "@aws-sdk/client-sqs";
import { parseJob } from "../../lambdas/fanout/job";
import { FANOUT_ENV, readFanoutSettings, VISIBILITY_TIMEOUT_FACTOR } from "../../lambdas/contract/fanout-settings";
import { type Invocation, startEventSourceMapping } from "./event-source-mapping";
import { LOCAL_CREDENTIALS } from "../fakes/local-aws";
import { LocalQueue } from "./local-queue";
import { startSqsServer } from "./sqs-server";

/** The split fan-out of `npm run dev`: the jobs queue, its dead-letter queue and the worker's event source mapping. */
export interface LocalFanout {
  /** What sendmessage needs to find the queue (FANOUT_QUEUE_URL, AWS_ENDPOINT_URL_SQS): added to the handlers' environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Jobs that failed maxReceiveCount times. */
  readonly deadLetter: LocalQueue;
  /** Loads the real worker (lambdas/fanout-worker.ts) and starts polling; call once the handlers' environment is in process.env. */
  startWorkers(): Promise<void>;
  /** Stops polling (waiting for the running invocations) and the queue server. */
  close(): Promise<void>;
}

/**
 * Starts the queues as the stack configures them (visibility timeout = 6 × the worker's timeout,
 * redrive after maxReceiveCount), on a local SQS endpoint, from the fan-out settings in `env`.
 */
export async function startLocalFanout(env: NodeJS.ProcessEnv, region: string, log: (line: string) => void): Promise<LocalFanout> {
  const settings = readFanoutSettings(env);
  const deadLetter = new LocalQueue("wscf-fanout-dlq");
  const queue = new LocalQueue("wscf-fanout", {
    visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_FACTOR * settings.workerTimeoutSeconds,
    redrive: { deadLetter, maxReceiveCount: settings.maxReceiveCount },
  });
  const server = await startSqsServer([queue, deadLetter]);
  const queueUrl = server.queueUrl(queue);
  const client = new SQSClient({ region, credentials: LOCAL_CREDENTIALS, endpoint: server.endpoint });
  let mapping: { stop(): Promise<void> } | undefined;
  return {
    env: { [FANOUT_ENV.queueUrl]: queueUrl, AWS_ENDPOINT_URL_SQS: server.endpoint },
    deadLetter,
    async startWorkers() {
      const { handler } = await import("../../lambdas/fanout-worker");
      mapping = startEventSourceMapping({
        client,
        queueUrl,
        handler,
        maximumConcurrency: settings.workers,
        functionName: "local-fanout-worker",
        region,
        timeoutMs: settings.workerTimeoutSeconds * 1000,
        onInvocation: (invocation) => log(describe(invocation)),
        onPollError: (error) => log(`${"SQS".padEnd(10)} fanout-worker poll failed: ${String(error)}`),
      });
    },
    async close() {
      await mapping?.stop();
      client.destroy();
      await server.close();
    },
  };
}

/** One line per job attempt, as the gateway prints its invocations: which segment, which receive, how it ended. */
function describe({ record, outcome, durationMs }: Invocation): string {
  let what: string;
  try {
    const job = parseJob(record.body);
    what = `segment ${job.segment + 1}/${job.segments} of ${job.broadcastId}`;
  } catch {
    what = "unreadable job";
  }
  return `${"SQS".padEnd(10)} fanout-worker ${what} receive ${record.attributes.ApproximateReceiveCount} -> ${outcome} (${durationMs} ms)`;
}
