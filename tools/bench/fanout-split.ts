import { SYSTEM_CLOCK } from "../../lambdas/base/clock";
/**
 * The split fan-out benchmark: `npm run bench:fanout-split`. Runs by hand, never in CI.
 *
 * - split: sendmessage (in this process) queues a broadcast on the local SQS queue of tools/gateway/; N worker
 *   processes run the real worker handler; dynalite holds the table; the fake @connections models
 *   AWS (token-bucket quota with 429 past it, per-call latency, a share of recipients gone = 410).
 *   Checks: every live recipient delivered, every 410 pruned, the peak post rate against the budget,
 *   each invocation against its time budget; wall time against the ideal (recipients / rate).
 * - scaling: the same with 1, 2, 4, 8 workers and a rate budget too high to bind.
 * - inline: sendmessage at 10 and 1,000 recipients without the split path, with the
 *   first split path (8 parallel COUNT scans for every broadcast) and now (one COUNT page first).
 *
 * Environment: BENCH_PARTS (default "inline,split,throttled,scaling"), BENCH_RECIPIENTS (100000),
 * BENCH_SCALING_RECIPIENTS (30000), BENCH_LATENCY_MS (20), BENCH_GONE_SHARE (0.05).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { SQSClient } from "@aws-sdk/client-sqs";
import { createDocumentClient, createManagementClient, MANAGEMENT_TUNING } from "../../lambdas/base/clients";
import { SdkConnectionsApi } from "../../lambdas/base/connections-api";
import type { ChatDeps } from "../../lambdas/routes/deps";
import { sendMessage } from "../../lambdas/routes/sendmessage";
import { DynamoConnectionStore } from "../../lambdas/base/store";
import { SqsJobQueue } from "../../lambdas/fanout/queue";
import type { BroadcastAccepted, SegmentReport } from "../../lambdas/fanout/reports";
import {
  FANOUT_DEFAULTS,
  FANOUT_ENV,
  fanoutBudget,
  readFanoutSettings,
  VISIBILITY_TIMEOUT_FACTOR,
  WORKER_SAFETY_SECONDS,
} from "../../lambdas/contract/fanout-settings";
import { SETTINGS_ENV } from "../../lambdas/contract/settings";
import { LocalQueue } from "../gateway/local-queue";
import { startSqsServer } from "../gateway/sqs-server";
import { wsEvent } from "../../__tests__/support/chat-harness";
import { runInline } from "./fanout-inline";
import { seededTable, silent, silentMetrics } from "./peers";
import { LOCAL_AWS } from "../fakes/local-aws";
import { type LocalDynamo, startDynalite } from "../fakes/dynalite";
import { FakeConnectionsApi } from "../fakes/connections-api";

const WORKER = join(__dirname, "fanout-split-worker.js");
const PARTS = new Set((process.env.BENCH_PARTS ?? "inline,split,throttled,scaling").split(","));
const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 100_000);
const SCALING_RECIPIENTS = Number(process.env.BENCH_SCALING_RECIPIENTS ?? 30_000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const GONE_SHARE = Number(process.env.BENCH_GONE_SHARE ?? 0.05);
/** AWS's default account quota for PostToConnection (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html). */
const AWS_DEFAULT_QUOTA = { ratePerSecond: 10_000, burst: 5_000 };
const DATA = "hello world";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface SplitCase {
  readonly name: string;
  readonly recipients: number;
  readonly goneShare: number;
  readonly ratePerSecond: number;
  readonly workers: number;
  readonly workerCapacityPerSecond: number;
  readonly quota: { readonly ratePerSecond: number; readonly burst: number };
}

interface SplitResult {
  readonly case: SplitCase;
  readonly segments: number;
  readonly wallMs: number;
  /** recipients / min(rate budget, quota, workers × min(capacity, posts in flight / latency)). */
  readonly idealMs: number;
  readonly live: number;
  readonly delivered: number;
  /** Posts the workers reported failed (after the SDK's retries, other than 429). */
  readonly failed: number;
  readonly missing: number;
  readonly duplicates: number;
  readonly gone: number;
  readonly leftInTable: number;
  readonly peakPerSecond: number;
  readonly throttled: number;
  readonly maxInvocationMs: number;
  readonly budgetMs: number;
  readonly invocations: number;
  readonly failedInvocations: number;
  /** Worker processes' CPU time per post delivered (scan, sign, send, count), µs. */
  readonly workerCpuPerPostUs: number;
}

/** One line of a worker process: ready, or one invocation done; `cpuMs` is the process's CPU time so far. */
interface WorkerLine {
  readonly ready?: boolean;
  readonly outcome: string;
  readonly durationMs: number;
  readonly cpuMs: number;
}

/** Starts a worker process and resolves once it polls; its invocation lines go to `invocations`, its CPU since ready to `cpu`. */
async function startWorker(env: NodeJS.ProcessEnv, invocations: WorkerLine[], cpu: { ms: number }): Promise<ChildProcess> {
  const child = spawn(process.execPath, [WORKER], { stdio: ["pipe", "pipe", "inherit"], env });
  const lines = createInterface({ input: child.stdout! });
  let last = 0;
  await new Promise<void>((ready) =>
    lines.on("line", (line) => {
      const parsed = JSON.parse(line) as WorkerLine;
      cpu.ms += parsed.ready ? 0 : parsed.cpuMs - last;
      last = parsed.cpuMs;
      if (parsed.ready) ready();
      else invocations.push(parsed);
    }),
  );
  return child;
}

async function runSplit(dynamo: LocalDynamo, c: SplitCase): Promise<SplitResult> {
  const { table, ids } = await seededTable(dynamo, c.recipients);
  const goneEvery = c.goneShare > 0 ? Math.round(1 / c.goneShare) : 0;
  const isGone = (i: number) => goneEvery > 0 && i % goneEvery === goneEvery - 1;
  const api = await FakeConnectionsApi.start({ recordRequests: false, quota: c.quota, meterRate: true });
  api.slowDown("*", LATENCY_MS);
  ids.forEach((id, i) => {
    if (!isGone(i)) api.connect(id);
  });
  const sender = ids[0];

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_REGION: LOCAL_AWS.region,
    AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    NODE_NO_WARNINGS: "1",
    POWERTOOLS_LOG_LEVEL: "SILENT",
    // The worker processes speak to this one in JSON lines on stdout: no EMF lines among them.
    POWERTOOLS_METRICS_DISABLED: "true",
    [SETTINGS_ENV.tableName]: table,
    [SETTINGS_ENV.managementEndpoint]: api.endpoint,
    [FANOUT_ENV.ratePerSecond]: String(c.ratePerSecond),
    [FANOUT_ENV.workers]: String(c.workers),
    [FANOUT_ENV.workerCapacityPerSecond]: String(c.workerCapacityPerSecond),
  };
  const settings = readFanoutSettings(env);
  const deadLetter = new LocalQueue("bench-dlq");
  const queue = new LocalQueue("bench-jobs", {
    visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_FACTOR * settings.workerTimeoutSeconds,
    redrive: { deadLetter, maxReceiveCount: settings.maxReceiveCount },
  });
  const sqs = await startSqsServer([queue, deadLetter]);
  const workerEnv = { ...env, AWS_ENDPOINT_URL_SQS: sqs.endpoint, [FANOUT_ENV.queueUrl]: sqs.queueUrl(queue) };
  const invocations: WorkerLine[] = [];
  const cpu = { ms: 0 };
  const workers = await Promise.all(Array.from({ length: c.workers }, () => startWorker(workerEnv, invocations, cpu)));
  const sqsClient = new SQSClient({ ...LOCAL_AWS, endpoint: sqs.endpoint });
  const store = new DynamoConnectionStore(createDocumentClient(undefined, { ...LOCAL_AWS, endpoint: dynamo.endpoint }), table);
  try {
    const deps: ChatDeps = {
      store,
      connections: new SdkConnectionsApi(createManagementClient(api.endpoint, MANAGEMENT_TUNING, LOCAL_AWS)),
      logger: silent(),
      metrics: silentMetrics(),
      fanoutConcurrency: 50,
      clock: SYSTEM_CLOCK,
      fanout: { queue: new SqsJobQueue(sqsClient, sqs.queueUrl(queue)), budget: fanoutBudget(settings) },
    };
    const started = performance.now();
    const result = await sendMessage(deps, wsEvent("sendmessage", sender, JSON.stringify({ action: "sendmessage", data: DATA })));
    const accepted = JSON.parse(String((result as { body: string }).body)) as BroadcastAccepted;
    const finished = () => api.received(sender).filter((t) => t.includes('"broadcast-segment"') && !t.includes('"retrying"')).length >= accepted.segments;
    while (!finished()) await sleep(50);
    const wallMs = performance.now() - started;
    // A worker reports to the sender before its invocation returns: give the last lines a moment.
    for (let waited = 0; invocations.length < accepted.segments && waited < 5000; waited += 50) await sleep(50);

    const live = ids.filter((_, i) => !isGone(i));
    const copies = live.map((id) => api.received(id).filter((t) => t === DATA).length);
    const reports = api
      .received(sender)
      .filter((t) => t.includes('"broadcast-segment"'))
      .map((t) => JSON.parse(t) as SegmentReport);
    // A worker cannot beat its posts in flight over the latency (50 / 20 ms = 2,500/s), whatever its budget.
    const perWorker = Math.min(c.workerCapacityPerSecond, (deps.fanoutConcurrency * 1000) / LATENCY_MS);
    const effectiveRate = Math.min(c.ratePerSecond, c.quota.ratePerSecond, c.workers * perWorker);
    return {
      case: c,
      segments: accepted.segments,
      wallMs,
      idealMs: (1000 * c.recipients) / effectiveRate,
      live: live.length,
      delivered: reports.reduce((n, r) => n + r.delivered, 0),
      failed: reports.reduce((n, r) => n + r.failed, 0),
      missing: copies.filter((n) => n === 0).length,
      duplicates: copies.filter((n) => n > 1).length,
      gone: ids.length - live.length,
      leftInTable: await store.count(new Date(), 8),
      peakPerSecond: api.peakRate(1000),
      throttled: api.throttledByQuota,
      maxInvocationMs: Math.max(0, ...invocations.map((i) => i.durationMs)),
      budgetMs: (settings.workerTimeoutSeconds - WORKER_SAFETY_SECONDS) * 1000,
      invocations: invocations.length,
      failedInvocations: invocations.filter((i) => i.outcome !== "ok").length,
      workerCpuPerPostUs:
        (1000 * cpu.ms) /
        Math.max(
          1,
          reports.reduce((n, r) => n + r.delivered + r.pruned, 0),
        ),
    };
  } finally {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise((exited) => {
            w.once("exit", exited);
            w.stdin!.end();
          }),
      ),
    );
    sqsClient.destroy();
    await sqs.close();
    await api.close();
  }
}

function splitRow(r: SplitResult): string {
  const c = r.case;
  const budget = c.ratePerSecond >= 100_000 ? "none" : `${c.ratePerSecond}/s`;
  const quota = `${c.quota.ratePerSecond}/s, burst ${c.quota.burst}`;
  const missing = r.missing > 0 ? `, **${r.missing} missing**` : "";
  const twice = r.duplicates > 0 ? `, ${r.duplicates} twice` : "";
  const failed = r.failed > 0 ? `, ${r.failed} reported failed` : "";
  const checks = `${r.delivered}/${r.live} delivered${missing}${twice}${failed}; ${r.live + r.gone - r.leftInTable} of ${r.gone} pruned`;
  return `| ${c.name} | ${c.recipients} | ${c.workers} | ${r.segments} | ${budget} | ${quota} | ${(r.wallMs / 1000).toFixed(1)} s | ${(r.idealMs / 1000).toFixed(1)} s | ${(r.idealMs / r.wallMs).toFixed(2)} | ${Math.round((1000 * r.delivered) / r.wallMs)}/s | ${Math.round(r.workerCpuPerPostUs)} µs | ${r.peakPerSecond}/s | ${r.throttled} | ${(r.maxInvocationMs / 1000).toFixed(1)} s of ${r.budgetMs / 1000} s (${r.invocations} inv., ${r.failedInvocations} failed) | ${checks} |`;
}

async function main(): Promise<void> {
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const out: string[] = [
    `Split fan-out benchmark (${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC; ${machine}; load average at start ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}; fake @connections latency ${LATENCY_MS} ms per call)`,
    "",
  ];
  const dynamo = await startDynalite();
  try {
    if (PARTS.has("inline")) {
      out.push("| inline broadcast | recipients | median of 11 | vs. no split path |", "|---|---:|---:|---:|", ...(await runInline(dynamo)), "");
    }
    const split: SplitCase[] = [];
    const defaults = {
      goneShare: GONE_SHARE,
      ratePerSecond: FANOUT_DEFAULTS.ratePerSecond,
      workers: FANOUT_DEFAULTS.workers,
      workerCapacityPerSecond: FANOUT_DEFAULTS.workerCapacityPerSecond,
      quota: AWS_DEFAULT_QUOTA,
    };
    if (PARTS.has("split")) split.push({ name: "defaults", recipients: RECIPIENTS, ...defaults });
    // A quota below the budget (another API in the region takes the rest): 429s, the rate cut, nothing lost.
    if (PARTS.has("throttled"))
      split.push({ name: "quota below budget", recipients: Math.round(RECIPIENTS / 4), ...defaults, quota: { ratePerSecond: 1500, burst: 500 } });
    if (PARTS.has("scaling")) {
      for (const workers of [1, 2, 4, 8]) {
        split.push({
          name: "scaling",
          recipients: SCALING_RECIPIENTS,
          goneShare: 0,
          ratePerSecond: 1_000_000,
          workers,
          workerCapacityPerSecond: 1_000_000,
          quota: { ratePerSecond: 1_000_000, burst: 1_000_000 },
        });
      }
    }
    if (split.length > 0) {
      out.push(
        "| case | recipients | workers | segments | rate budget | fake quota | wall | ideal | ideal/wall | delivered/s | worker CPU per post | peak posts in 1 s | 429s | longest invocation vs. budget | checks |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
      );
      for (const c of split) {
        const row = splitRow(await runSplit(dynamo, c));
        out.push(row);
        process.stderr.write(`${row}\n`);
      }
    }
  } finally {
    await dynamo.stop();
  }
  process.stdout.write(`${out.join("\n")}\n`);
}

void main().then(() => process.exit(0));
