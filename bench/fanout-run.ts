/**
 * The fan-out benchmark (issue 4): broadcasts "hello world" to N connections through dynalite and
 * the fake @connections API, with our sendmessage and the sample's algorithm, each in a child
 * process; then measures each handler zip and its module load time. Prints markdown tables.
 */
import { execFileSync, spawn } from "node:child_process";
import { DEFAULT_FANOUT_CONCURRENCY } from "../lambdas/settings";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { unzipSync } from "fflate";
import { bundleHandlers } from "../src/lambda-bundle";
import { LOCAL_AWS, startDynalite } from "../__tests__/support/dynamodb";
import { FakeConnectionsApi } from "../__tests__/support/fake-connections-api";
import { connectionIds, seedConnections } from "../__tests__/support/seed";

const ROOT = resolve(__dirname, "../..");
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

function bundles(): { name: string; bytes: number; loadMs: number }[] {
  const out = join(ROOT, "dist", "bench", "handlers");
  const names = ["connect", "disconnect", "sendmessage", "default"] as const;
  const zips = bundleHandlers(Object.fromEntries(names.map((name) => [name, join(ROOT, "lambdas", `${name}.ts`)])) as Record<(typeof names)[number], string>);
  return names.map((name) => {
    const bundle = zips[name];
    const dir = join(out, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "index.js"), unzipSync(readFileSync(bundle.zipPath))["index.js"]);
    // Median of 5 fresh processes: require() of index.js, which builds the clients from env, as at cold start.
    const script = `const t=performance.now();require(${JSON.stringify(join(dir, "index.js"))});process.stdout.write(String(performance.now()-t))`;
    const env = {
      ...process.env,
      ...BENCH_ENV,
      NODE_PATH: join(ROOT, "node_modules"),
      CONNECTIONS_TABLE: "t",
      MANAGEMENT_ENDPOINT: "https://chat.example.com/websocket",
    };
    const samples = Array.from({ length: 5 }, () => Number(execFileSync(process.execPath, ["-e", script], { env, cwd: ROOT }).toString()));
    samples.sort((a, b) => a - b);
    return { name, bytes: bundle.bytes, loadMs: samples[2] };
  });
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
    "",
    "| handler zip | size | module load (median of 5) |",
    "|---|---:|---:|",
    ...bundles().map((b) => `| ${b.name} | ${(b.bytes / 1024).toFixed(1)} KiB | ${b.loadMs.toFixed(0)} ms |`),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

void main().then(() => process.exit(0));
