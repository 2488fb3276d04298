// `npm run synth`: what `cdktf synth` does, without the CLI's ~1.5 s start-up. It runs the app with
// the environment the CLI gives it (@cdktf/cli-core's SynthStack.synth), writes the same cdktf.out
// (byte-identical, tested), prints the app's warnings, and removes stack folders no longer made.
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { ensureAppBuilt, runApp } from "./build-app.mjs";
import { PROJECT_ROOT as ROOT } from "./local-bundle.cjs";

const outdir = resolve(ROOT, process.env.CDKTF_OUTDIR ?? "cdktf.out");
const stacksDir = join(outdir, "stacks");
const before = existsSync(stacksDir) ? readdirSync(stacksDir) : [];

process.env.CDKTF_OUTDIR = outdir;
process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = "true";
process.env.CDKTF_CONTEXT_JSON = JSON.stringify({ ...JSON.parse(process.env.CDKTF_CONTEXT_JSON ?? "{}"), cdktfRelativeModules: [] });
process.chdir(ROOT);
runApp(ensureAppBuilt());

const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
const stacks = Object.keys(manifest.stacks);
for (const stale of before.filter((name) => !stacks.includes(name))) rmSync(join(stacksDir, stale), { recursive: true });
let errors = 0;
for (const stack of Object.values(manifest.stacks)) {
  for (const { level, constructPath, message } of stack.annotations) {
    const label = level.replace("@cdktf/", "").toUpperCase();
    if (label === "ERROR") errors += 1;
    console.error(`${label} [${constructPath}]: ${message}`);
  }
}
if (errors > 0) process.exit(1);
console.log(`Generated Terraform code for the stacks: ${stacks.join(", ")} (in ${outdir})`);
