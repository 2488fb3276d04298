// Bundles the fan-out benchmarks (TypeScript) and runs the bundle, rather than through run-ts.cjs:
// the child processes whose memory fanout-run.ts measures then carry no hook of their own.
// `npm run bench:fanout` (BENCH_SIZES=1000,10000 to choose the sizes); `npm run bench:fanout-split`
// (node tools/bench/fanout.mjs split) runs tools/bench/fanout-split.ts instead.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { PROJECT_ROOT, bundleIfChanged } from "../scripts/local-bundle.cjs";

const bundled = (name) =>
  bundleIfChanged(resolve(PROJECT_ROOT, "tools/bench", `${name}.ts`), resolve(PROJECT_ROOT, "dist/bench", `${name}.js`), { packages: "external" });
// The parents spawn their children from dist/bench/ by name: every bundle first.
const [run, , split] = ["fanout-run", "fanout-child", "fanout-split", "fanout-split-worker"].map(bundled);
const entry = process.argv[2] === "split" ? split : run;
const child = spawnSync(process.execPath, [entry], { cwd: PROJECT_ROOT, stdio: "inherit", env: { NODE_NO_WARNINGS: "1", ...process.env } });
process.exit(child.status ?? 1);
