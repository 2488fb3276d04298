// Bundles the fan-out benchmark (TypeScript) with esbuild, as tools/scripts/build-app.mjs does for the
// app (node_modules stay external: dynalite loads a native binding), then runs it: `npm run bench:fanout` (BENCH_SIZES=1000,10000 to choose the sizes).
import { build } from "esbuild";
import { spawnSync } from "node:child_process";

const common = { bundle: true, platform: "node", target: "node20", format: "cjs", logLevel: "warning", packages: "external" };
await build({ ...common, entryPoints: ["tools/bench/fanout-run.ts"], outfile: "dist/bench/fanout-run.js" });
await build({ ...common, entryPoints: ["tools/bench/fanout-child.ts"], outfile: "dist/bench/fanout-child.js" });
const run = spawnSync(process.execPath, ["dist/bench/fanout-run.js"], { stdio: "inherit" });
process.exit(run.status ?? 1);
