// `npm run cost`: synthesizes the stack with the current configuration (file, WSCF_* variables),
// then prints what it costs per month while idle, by resource kind, and what use adds.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { STACK_NAME } from "../../src/app/stack-name";
import { PROJECT_ROOT } from "../../src/functions/project-root";
import { PRICES_AS_OF, PRICES_REGION } from "./prices";
import { standingCost, usageCost } from "./standing-cost";

const outdir = join(PROJECT_ROOT, "cdktf.out");
const synth = spawnSync(process.execPath, [join(PROJECT_ROOT, "tools", "scripts", "synth.mjs")], {
  encoding: "utf8",
  env: { ...process.env, CDKTF_OUTDIR: outdir },
});
if (synth.status !== 0) {
  process.stderr.write(synth.stderr);
  process.exit(synth.status ?? 1);
}
const tf = JSON.parse(readFileSync(join(outdir, "stacks", STACK_NAME, "cdk.tf.json"), "utf8"));

const usd = (amount: number) => `$${amount.toFixed(2)}`;
const lines = standingCost(tf);
const width = Math.max(...lines.map((l) => l.kind.length));
console.log(`Standing cost per month, nothing in use (AWS list prices, ${PRICES_REGION}, as of ${PRICES_AS_OF}):`);
for (const line of lines) {
  const each = line.price ? `  at ${usd(line.price.usd)} per ${line.price.per}  ${line.price.source}` : "";
  console.log(`  ${line.kind.padEnd(width)}  ${String(line.count).padStart(3)}  ${usd(line.monthlyUsd).padStart(7)}${each}`);
}
console.log(`  ${"total".padEnd(width)}       ${usd(lines.reduce((sum, l) => sum + l.monthlyUsd, 0)).padStart(7)}`);
console.log("  (pay-per-use: functions, table, queues, topics, API, distribution, log groups, site objects, certificates, records)");
console.log("\nWhat use adds:");
for (const cost of usageCost(tf)) console.log(`  ${usd(cost.usd).padStart(6)} ${cost.what} (${cost.assumes})`);
