// `npm run plan:offline`: synthesize, then terraform init, validate and plan the stack with fake
// credentials and no backend, from the local provider mirror where there is one: the plan the
// tests judge, printed as Terraform prints it. Nothing reaches AWS; nothing is applied.
import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../src/functions/project-root";
import { offlineWorkdir } from "./offline-workdir";
import { STACK_NAME } from "../../src/app/stack-name";

const ROOT = PROJECT_ROOT;

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): void {
  const result = spawnSync(command, args, { ...options, stdio: "inherit" });
  if (result.error) {
    console.error(`${command} could not run: ${result.error.message}${command === "terraform" ? " (install Terraform >= 1.10 and put it on PATH)" : ""}`);
    process.exit(1);
  }
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const outdir = join(ROOT, "cdktf.out");
run(process.execPath, [join(ROOT, "tools", "scripts", "synth.mjs")], { cwd: ROOT, env: { ...process.env, CDKTF_OUTDIR: outdir } });
const dir = offlineWorkdir(join(outdir, "stacks", STACK_NAME));
const cliConfig = execFileSync(process.execPath, [join(ROOT, "tools", "scripts", "terraform-cli-config.mjs"), join(dir, "cli.tfrc")], { encoding: "utf8" }).trim();
const env = { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
console.log(`\nOffline plan in ${dir} (no backend, fake credentials):`);
const color = process.stdout.isTTY ? [] : ["-no-color"];
for (const args of [["init", "-input=false"], ["validate"], ["plan", "-input=false", "-lock=false"]]) run("terraform", [...args, ...color], { cwd: dir, env });
