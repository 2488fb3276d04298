// Bundles the fan-out benchmarks (TypeScript) with esbuild and runs the bundle, rather than through
// run-ts.cjs: the child processes whose memory fanout-run.ts measures then carry no hook of their own. `npm run bench:fanout` (BENCH_SIZES=1000,10000 to choose the sizes); `npm run
// bench:fanout-split` (node tools/bench/fanout.mjs split) runs tools/bench/fanout-split.ts instead.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { LOCAL_NODE_BUILD_OPTIONS, PROJECT_ROOT } from "../scripts/local-bundle.cjs";

const common = { ...LOCAL_NODE_BUILD_OPTIONS, absWorkingDir: PROJECT_ROOT, packages: "external" };
await build({ ...common, entryPoints: ["tools/bench/fanout-run.ts"], outfile: "dist/bench/fanout-run.js" });
await build({ ...common, entryPoints: ["tools/bench/fanout-child.ts"], outfile: "dist/bench/fanout-child.js" });
await build({ ...common, entryPoints: ["tools/bench/fanout-split.ts"], outfile: "dist/bench/fanout-split.js" });
await build({ ...common, entryPoints: ["tools/bench/fanout-split-worker.ts"], outfile: "dist/bench/fanout-split-worker.js" });
const entry = process.argv[2] === "split" ? "dist/bench/fanout-split.js" : "dist/bench/fanout-run.js";
const run = spawnSync(process.execPath, [entry], { cwd: PROJECT_ROOT, stdio: "inherit", env: { NODE_NO_WARNINGS: "1", ...process.env } });
process.exit(run.status ?? 1);
