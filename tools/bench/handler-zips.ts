/**
 * Handler zips with the pinned AWS SDK bundled in (what the stack deploys) against the same
 * handlers with the SDK left to the Lambda runtime (the other way to build them): zip size and cold
 * module load, i.e. `require()` of index.js in a fresh node process, which also builds the SDK
 * clients from the environment as a Lambda cold start does. Prints a markdown table.
 * Usage: `npm run bench:zips` (BENCH_RUNS=11 processes per handler and variant).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { buildSync } from "esbuild";
import { unzipSync, zipSync } from "fflate";
import { CHAT_ROUTES } from "../../lambdas/contract/routes";
import { bundleHandlers, HANDLER_BUILD_OPTIONS } from "../../src/functions/lambda-bundle";
import { PROJECT_ROOT } from "../../src/functions/project-root";
import { median } from "./peers";
import { LOCAL_AWS } from "../fakes/local-aws";

/** The project root, whatever the working directory. */
const ROOT = PROJECT_ROOT;
/** Every route's handler (lambdas/contract/routes.ts). */
const NAMES = Object.values(CHAT_ROUTES).map((route) => route.entry);
type Name = (typeof NAMES)[number];
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
/** What the handlers read at module load; region and keys as Lambda sets them (the local ones). */
const HANDLER_ENV = {
  AWS_REGION: LOCAL_AWS.region,
  AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
  CONNECTIONS_TABLE: "bench-connections",
  MANAGEMENT_ENDPOINT: "https://chat.example.com/websocket",
  NODE_NO_WARNINGS: "1",
};

interface Variant {
  readonly label: string;
  /** index.js of each handler. */
  readonly code: Record<Name, Uint8Array>;
  /** NODE_PATH for the loading process: where the runtime's SDK would be found. */
  readonly nodePath: string;
}

/** The zips the stack deploys, through the same function and cache synth uses. */
function bundled(): Variant {
  const zips = bundleHandlers(Object.fromEntries(NAMES.map((name) => [name, join(ROOT, "lambdas", `${name}.ts`)])) as Record<Name, string>);
  const code = Object.fromEntries(NAMES.map((name) => [name, unzipSync(readFileSync(zips[name].zipPath))["index.js"]]));
  // An empty NODE_PATH, and the files live outside the project: nothing but the zip can be loaded.
  return { label: "SDK bundled (pinned, tree-shaken)", code: code as Variant["code"], nodePath: "" };
}

/** The build with the SDK left out: SDK external, esbuild's default mainFields; the SDK is loaded from node_modules, as the runtime's is from /var/runtime/node_modules. */
function runtimeSdk(): Variant {
  const result = buildSync({
    ...HANDLER_BUILD_OPTIONS,
    mainFields: undefined,
    external: ["@aws-sdk/*", "@smithy/*"],
    entryPoints: NAMES.map((name) => ({ in: join(ROOT, "lambdas", `${name}.ts`), out: name })),
    outdir: "/bundles",
  });
  const code = Object.fromEntries(NAMES.map((name) => [name, result.outputFiles!.find((f) => f.path === `/bundles/${name}.js`)!.contents]));
  return { label: "SDK from the runtime (before)", code: code as Variant["code"], nodePath: join(ROOT, "node_modules") };
}

const zipBytes = (code: Uint8Array): number => zipSync({ "index.js": [code, { level: 9, mtime: new Date("1980-01-01T00:00:00Z") }] }).byteLength;

/** Milliseconds `require()` of `file` takes in a fresh node process. */
function loadMs(file: string, nodePath: string): number {
  const script = `const t=performance.now();require(${JSON.stringify(file)});process.stdout.write(String(performance.now()-t))`;
  return Number(execFileSync(process.execPath, ["-e", script], { env: { ...process.env, ...HANDLER_ENV, NODE_PATH: nodePath }, cwd: tmpdir() }).toString());
}

function main(): void {
  const variants = [runtimeSdk(), bundled()];
  const dir = mkdtempSync(join(tmpdir(), "wscf-zips-"));
  try {
    const files = variants.map((variant, v) =>
      Object.fromEntries(
        NAMES.map((name) => {
          mkdirSync(join(dir, `${v}-${name}`));
          const file = join(dir, `${v}-${name}`, "index.js");
          writeFileSync(file, variant.code[name]);
          return [name, file];
        }),
      ),
    );
    const samples = variants.map(() => Object.fromEntries(NAMES.map((name) => [name, [] as number[]])));
    // Interleaved, so that a noisy moment on the shared machine hits both variants alike.
    for (let run = 0; run < RUNS; run += 1) {
      for (const name of NAMES) {
        variants.forEach((variant, v) => {
          samples[v][name].push(loadMs(files[v][name], variant.nodePath));
        });
      }
    }
    const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
    const lines = [
      `Handler zips (${new Date().toISOString().slice(0, 10)}; ${machine}; module load = median of ${RUNS} fresh processes)`,
      "",
      "| handler | zip, runtime SDK (before) | zip, SDK bundled | size vs. before | load, runtime SDK (before) | load, SDK bundled | load vs. before |",
      "|---|---:|---:|---:|---:|---:|---:|",
      ...NAMES.map((name) => {
        const [beforeBytes, afterBytes] = variants.map((variant) => zipBytes(variant.code[name]));
        const [beforeMs, afterMs] = samples.map((s) => median(s[name]));
        return `| ${name} | ${(beforeBytes / 1024).toFixed(1)} KiB | ${(afterBytes / 1024).toFixed(1)} KiB | ${(afterBytes / beforeBytes).toFixed(1)}x | ${beforeMs.toFixed(0)} ms | ${afterMs.toFixed(0)} ms | ${(afterMs / beforeMs).toFixed(2)}x |`;
      }),
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
