import { tmpdir } from "node:os";
import { ConfigError, loadConfig } from "../src/config/config-sources";
import { VISIBILITY_TIMEOUT_FACTOR } from "../lambdas/contract/fanout-settings";
import { onlyResource, policyDocuments, resourcesOf, synthStack } from "./support/synth";

describe("Fanout: queue, dead-letter queue and worker", () => {
  const { tf } = synthStack();
  const queues = Object.fromEntries(resourcesOf(tf, "aws_sqs_queue").map((q) => [q.name, q]));
  const worker = resourcesOf(tf, "aws_lambda_function").find((fn) => fn.function_name === "wscf-fanout");

  test("both queues are encrypted at rest (SSE-SQS, so no kms:* grant is needed)", () => {
    expect(Object.keys(queues).sort()).toEqual(["wscf-fanout", "wscf-fanout-dlq"]);
    for (const queue of Object.values(queues) as { sqs_managed_sse_enabled: boolean }[]) expect(queue.sqs_managed_sse_enabled).toBe(true);
  });

  test("jobs that keep failing are redriven to the dead-letter queue after maxReceiveCount receives", () => {
    expect(queues["wscf-fanout"].redrive_policy).toMatch(
      /^\$\{jsonencode\(\{"deadLetterTargetArn" = aws_sqs_queue\.fanout_queue_dead-letters_\w+\.arn, "maxReceiveCount" = 3\}\)\}$/,
    );
  });

  test("the visibility timeout is six times the worker's timeout, as AWS advises for SQS event sources", () => {
    expect(worker.timeout).toBe(300);
    expect(queues["wscf-fanout"].visibility_timeout_seconds).toBe(VISIBILITY_TIMEOUT_FACTOR * 300);
  });

  test("the event source mapping caps the workers, takes one job per invocation and reports partial batch failures", () => {
    const mapping = onlyResource(tf, "aws_lambda_event_source_mapping");
    expect(mapping).toMatchObject({
      batch_size: 1,
      scaling_config: { maximum_concurrency: 4 },
      function_response_types: ["ReportBatchItemFailures"],
      event_source_arn: expect.stringMatching(/^\$\{aws_sqs_queue\.fanout_queue_jobs_\w+\.arn\}$/),
      function_name: expect.stringMatching(/^\$\{aws_lambda_function\.fanout_worker_function_\w+\.arn\}$/),
    });
  });

  test("sendmessage gets the queue URL and the budget; the worker gets the budget, maxReceiveCount and the queue URL (to give failed jobs back)", () => {
    const sendmessage = resourcesOf(tf, "aws_lambda_function").find((fn) => fn.function_name === "wscf-sendmessage");
    const budget = { FANOUT_INLINE_LIMIT: "2000", FANOUT_RATE_PER_SECOND: "2000", FANOUT_WORKERS: "4", FANOUT_WORKER_TIMEOUT_SECONDS: "300" };
    expect(sendmessage.environment.variables).toMatchObject({
      ...budget,
      FANOUT_QUEUE_URL: expect.stringMatching(/^\$\{aws_sqs_queue\.fanout_queue_jobs_\w+\.url\}$/),
    });
    expect(worker.environment.variables).toMatchObject({
      ...budget,
      FANOUT_MAX_RECEIVE_COUNT: "3",
      FANOUT_QUEUE_URL: expect.stringMatching(/^\$\{aws_sqs_queue\.fanout_queue_jobs_\w+\.url\}$/),
    });
  });

  test("only sendmessage and publish may send to the queue, and only the worker may consume it and give its jobs back early", () => {
    const sqsGrants = Object.entries(policyDocuments(tf)).flatMap(([id, doc]) =>
      (doc.statement as { actions?: string[]; resources?: string[] }[])
        .filter((s) => s.actions?.some((a) => a.startsWith("sqs:")))
        .map((s) => [id.replace(/_permissions_\w+$/, ""), s.actions, s.resources]),
    );
    const jobsArn = expect.stringMatching(/^\$\{aws_sqs_queue\.fanout_queue_jobs_\w+\.arn\}$/);
    expect(sqsGrants).toEqual([
      ["fanout_worker_function", ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"], [jobsArn]],
      ["publish-function", ["sqs:SendMessage"], [jobsArn]],
      ["sendmessage-function", ["sqs:SendMessage"], [jobsArn]],
    ]);
  });

  test("the configuration moves through: WSCF_FANOUT_* reach the queue, the mapping and the functions", () => {
    const custom = synthStack({ fanout: { inlineLimit: 10, ratePerSecond: 9000, workers: 9, workerTimeoutSeconds: 600, maxReceiveCount: 5 } }).tf;
    expect(onlyResource(custom, "aws_lambda_event_source_mapping").scaling_config.maximum_concurrency).toBe(9);
    const jobs = resourcesOf(custom, "aws_sqs_queue").find((q) => q.name === "wscf-fanout");
    expect(jobs.visibility_timeout_seconds).toBe(3600);
    expect(jobs.redrive_policy).toContain('"maxReceiveCount" = 5');
    const config = loadConfig({ WSCF_FANOUT_INLINE_LIMIT: "0", WSCF_FANOUT_WORKERS: "16" }, tmpdir());
    expect(config.fanout).toMatchObject({ inlineLimit: 0, workers: 16, ratePerSecond: 2000 });
  });

  test("AWS's limits are checked before synth: workers 2-1000, timeout at most 900 s, maxReceiveCount at most 1000", () => {
    let problems: readonly string[] = [];
    try {
      loadConfig({ WSCF_FANOUT_WORKERS: "1", WSCF_FANOUT_WORKER_TIMEOUT_SECONDS: "901", WSCF_FANOUT_MAX_RECEIVE_COUNT: "1001" }, tmpdir());
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = error.problems;
    }
    expect(problems).toEqual([
      expect.stringMatching(/^fanout\.workers \(from WSCF_FANOUT_WORKERS\) must be at least 2/),
      expect.stringMatching(/^fanout\.workerTimeoutSeconds \(from WSCF_FANOUT_WORKER_TIMEOUT_SECONDS\) must be at most 900/),
      expect.stringMatching(/^fanout\.maxReceiveCount \(from WSCF_FANOUT_MAX_RECEIVE_COUNT\) must be at most 1000/),
    ]);
  });
});
