/**
 * One fan-out worker in its own process, as one Lambda execution environment: the real worker
 * handler (its settings from the environment, as in Lambda) fed by an event source mapping of
 * concurrency 1 on the benchmark's local queue. Prints one JSON line per invocation; stops when
 * stdin closes.
 */
import { SQSClient } from "@aws-sdk/client-sqs";
import { startEventSourceMapping } from "../gateway/event-source-mapping";
import { parseJob } from "../../lambdas/fanout/job";
import { workerHandler } from "../../lambdas/runtime/fanout-worker";
import { readFanoutSettings } from "../../lambdas/contract/fanout-settings";

const settings = readFanoutSettings(process.env);
/** CPU time this process has used, ms: the parent turns it into CPU per post. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const mapping = startEventSourceMapping({
  client: new SQSClient({}),
  queueUrl: settings.queueUrl ?? "",
  handler: workerHandler(process.env),
  maximumConcurrency: 1,
  functionName: "bench-worker",
  region: process.env.AWS_REGION ?? "",
  timeoutMs: settings.workerTimeoutSeconds * 1000,
  onInvocation: ({ record, outcome, durationMs }) => {
    process.stdout.write(`${JSON.stringify({ segment: parseJob(record.body).segment, outcome, durationMs, pid: process.pid, cpuMs: cpuMs() })}\n`);
  },
  onPollError: (error) => process.stderr.write(`poll failed: ${String(error)}\n`),
});
process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid, cpuMs: cpuMs() })}\n`);
process.stdin.resume();
process.stdin.on("end", () => void mapping.stop().then(() => process.exit(0)));
