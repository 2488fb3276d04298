/**
 * The fan-out benchmark: broadcasts "hello world" to N connections through dynalite and
 * the fake @connections API, with our sendmessage and the sample's algorithm, each in a child
 * process. Prints a markdown table (the handler zips have their own benchmark, tools/bench/handler-zips.ts).
 */
import { spawn } from "node:child_process";
import { DEFAULT_FANOUT_CONCURRENCY } from "../../lambdas/contract/settings";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { LOCAL_AWS } from "../fakes/local-aws";
import { startDynalite } from "../fakes/dynalite";
import { FakeConnectionsApi } from "../fakes/connections-api";
import { connectionIds, seedConnections } from "../fakes/seed";

const CHILD = join(__dirname, "fanout-child.js");
/** Lambda-like environment for the children; NODE_NO_WARNINGS hides the SDK's Node 20 notice. */
const BENCH_ENV = {
  AWS_REGION: LOCAL_AWS.region,
  AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
  NODE_NO_WARNINGS: "1",
};
/** Posts in flight for our handler, as the child reads it. */
const FANOUT = Number(process.env.FANOUT_CONCURRENCY ?? DEFAULT_FANOUT_CONCURRENCY);
const SIZES = (process.env.BENCH_SIZES ?? "1000,10000,20000").split(",").map(Number);

interface Row {
  variant: string;
  connections: number;
  delivered: number;
  wallMs: number;
  peakRssKiB: number;
  rssBeforeKiB: number;
}

async function broadcast(size: number): Promise<Row[]> {
  const dynamo = await startDynalite();
  const api = await FakeConnectionsApi.start({ recordRequests: false });
  try {
    const rows: Row[] = [];
    for (const variant of ["sample", "ours"]) {
      const table = `bench-${variant}-${size}`;
      await dynamo.createConnectionsTable(table);
      const ids = connectionIds(size, `${variant}${size}-`);
      await seedConnections(dynamo.client, table, ids, api);
      const before = api.delivered;
      // Asynchronous spawn: the peers live in this process and must keep serving meanwhile.
      const output = await new Promise<string>((done, fail) => {
        const child = spawn(process.execPath, [CHILD, variant, dynamo.endpoint, api.endpoint, table, ids[0]], {
          stdio: ["ignore", "pipe", "inherit"],
          // As in Lambda: region and (fake) credentials come from the environment.
          env: { ...process.env, ...BENCH_ENV },
        });
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
        child.on("exit", (code: number) => (code === 0 ? done(out) : fail(new Error(`${variant} child exited ${code}`))));
      });
      const result = JSON.parse(output.trim().split("\n").pop() ?? "{}") as Omit<Row, "variant" | "connections" | "delivered">;
      rows.push({ variant, connections: size, delivered: api.delivered - before, ...result });
    }
    return rows;
  } finally {
    await api.close();
    await dynamo.stop();
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const size of SIZES) rows.push(...(await broadcast(size)));
  const nodeVersion = process.version;
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${nodeVersion}`;
  const lines = [
    `Fan-out of one "hello world" broadcast (${new Date().toISOString().slice(0, 10)}; ${machine}; dynalite + fake @connections on loopback, in the parent process; each variant in its own child process)`,
    "",
    "| variant | connections | delivered | wall time | per delivered message | peak RSS | RSS before broadcast |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.variant === "ours" ? `this handler (paged, ${FANOUT} in flight)` : "aws-samples algorithm (1 page, Promise.all)"} | ${r.connections} | ${r.delivered} (${((100 * r.delivered) / r.connections).toFixed(1)}%) | ${Math.round(r.wallMs)} ms | ${
          r.delivered > 0 ? ((1000 * r.wallMs) / r.delivered).toFixed(0) : "–"
        } µs | ${(r.peakRssKiB / 1024).toFixed(0)} MiB | ${(r.rssBeforeKiB / 1024).toFixed(0)} MiB |`,
    ),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

void main().then(() => process.exit(0));
