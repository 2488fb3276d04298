#!/usr/bin/env node
// Synth speed: OUR app (esbuild bundle run by node, deep provider imports) against cdktf's
// template layout of the SAME stack (barrel `import * as aws`-style imports, ts-node), in one run.
// Also `cdktf synth` around our app against the CLI's floor (an empty stack).
// Usage: node tools/bench/synth.mjs [runs=5]. Needs GNU time (/usr/bin/time) for peak memory.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT as ROOT } from "../scripts/local-bundle.cjs";

const RUNS = Number(process.argv[2] ?? 5);
const ENV = { ...process.env, CHECKPOINT_DISABLE: "1", CI: "1" };

/** Runs `cmd` `runs` times; median wall seconds and median peak RSS (MiB) from GNU time. */
function measure(label, cmd, args, cwd, runs = RUNS) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    rmSync(join(cwd, "cdktf.out"), { recursive: true, force: true });
    const start = process.hrtime.bigint();
    const r = spawnSync("/usr/bin/time", ["-f", "%M", cmd, ...args], { cwd, env: ENV, encoding: "utf8" });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (r.status !== 0) throw new Error(`${label} failed:\n${r.stderr}`);
    const rssKiB = Number(r.stderr.trim().split("\n").pop());
    samples.push({ seconds, rssMiB: rssKiB / 1024 });
    process.stderr.write(`${label}: ${seconds.toFixed(2)} s, ${(rssKiB / 1024).toFixed(0)} MiB\n`);
  }
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { label, seconds: median(samples.map((s) => s.seconds)), rssMiB: median(samples.map((s) => s.rssMiB)), runs };
}

const camel = (file) => file.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());

/** Rewrites deep imports (`@cdktf/provider-aws/lib/<file>`) into the template's barrel imports. */
function toBarrelImports(source) {
  return source.replace(/import (type )?\{([^}]*)\} from "@cdktf\/provider-aws\/lib\/([a-z0-9-]+)";/g, (_, typeOnly, names, file) => {
    const ns = camel(file);
    const lines = [`import { ${ns} } from "@cdktf/provider-aws";`];
    for (const raw of names
      .split(",")
      .map((n) => n.trim())
      .filter(Boolean)) {
      const isType = Boolean(typeOnly) || raw.startsWith("type ");
      const name = raw.replace(/^type /, "");
      lines.push(`type ${name} = ${ns}.${name};`);
      if (!isType) lines.push(`const ${name} = ${ns}.${name};`);
    }
    return lines.join("\n");
  });
}

/** A copy of the project whose app is the template layout: barrel imports, `npx ts-node main.ts`. */
function templateLayoutCopy() {
  const dir = mkdtempSync(join(tmpdir(), "wscf-bench-template-"));
  for (const entry of ["main.ts", "src", "lambdas", "site", "tsconfig.json", "package.json"]) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  for (const file of readdirSync(join(dir, "src"))) {
    const path = join(dir, "src", file);
    writeFileSync(path, toBarrelImports(readFileSync(path, "utf8")));
  }
  writeFileSync(join(dir, "cdktf.json"), JSON.stringify({ language: "typescript", app: "npx ts-node main.ts" }));
  return dir;
}

/** A project whose app synthesizes an empty stack: what `cdktf synth` costs around any app. */
function cliFloorProject() {
  const dir = mkdtempSync(join(tmpdir(), "wscf-bench-floor-"));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  writeFileSync(
    join(dir, "app.js"),
    'const { App, TerraformStack } = require("cdktf"); const app = new App(); new TerraformStack(app, "empty"); app.synth();\n',
  );
  writeFileSync(join(dir, "cdktf.json"), JSON.stringify({ language: "typescript", app: "node app.js" }));
  return dir;
}

execFileSync(process.execPath, ["tools/scripts/build-app.mjs"], { cwd: ROOT });
const template = templateLayoutCopy();
const floor = cliFloorProject();
const cdktf = join(ROOT, "node_modules", ".bin", "cdktf");

const results = [
  measure("template layout: npx ts-node main.ts (barrel imports)", "npx", ["ts-node", "main.ts"], template, Math.min(RUNS, 3)),
  measure("ours: node dist/main.js (prebuilt bundle)", "node", ["dist/main.js"], ROOT),
  measure("ours: cdktf.json app, bundle up to date", "sh", ["-c", JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")).app], ROOT),
  measure("ours: cdktf.json app, after a source change (rebuild)", "node", ["tools/scripts/build-app.mjs", "--force", "--run"], ROOT),
  measure("npm run synth (tools/scripts/synth.mjs: the CLI's output without the CLI)", "node", ["tools/scripts/synth.mjs"], ROOT),
  measure("cdktf synth, CLI floor (empty stack)", cdktf, ["synth"], floor),
  measure("cdktf synth, our app (npm run synth:cli)", cdktf, ["synth"], ROOT),
];
const [base, app, appUpToDate, appRebuild, npmSynth, cliFloor, cliOurs] = results;

const cpu = cpus()[0]?.model ?? "unknown CPU";
console.log(
  `Synth benchmark, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} x ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; median of ${RUNS} runs (baseline: ${base.runs}).\n`,
);
console.log("| what | wall time | peak RSS | vs. template layout |");
console.log("|---|---:|---:|---:|");
for (const r of results.slice(0, 5)) {
  const ratio = r === base ? "baseline" : `${(base.seconds / r.seconds).toFixed(1)}x faster`;
  console.log(`| ${r.label} | ${r.seconds.toFixed(2)} s | ${r.rssMiB.toFixed(0)} MiB | ${ratio} |`);
}
console.log(`\n| cdktf CLI | wall time | peak RSS | vs. CLI floor |`);
console.log("|---|---:|---:|---:|");
for (const r of [cliFloor, cliOurs, npmSynth]) {
  const ratio = r === cliFloor ? "floor" : `${(r.seconds / cliFloor.seconds).toFixed(2)}x`;
  console.log(`| ${r.label} | ${r.seconds.toFixed(2)} s | ${r.rssMiB.toFixed(0)} MiB | ${ratio} |`);
}
console.log(
  `\nTargets: app >= 25x faster than the template layout (${(base.seconds / app.seconds).toFixed(1)}x; as cdktf runs it ${(base.seconds / appUpToDate.seconds).toFixed(1)}x, ${(base.seconds / appRebuild.seconds).toFixed(1)}x after a change), app <= 120 MiB (${app.rssMiB.toFixed(0)} MiB), cdktf synth <= 1.2x the CLI floor (${(cliOurs.seconds / cliFloor.seconds).toFixed(2)}x); npm run synth ${(cliOurs.seconds / npmSynth.seconds).toFixed(1)}x faster than cdktf synth.`,
);
rmSync(template, { recursive: true, force: true });
rmSync(floor, { recursive: true, force: true });
