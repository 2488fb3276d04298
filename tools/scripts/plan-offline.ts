// `npm run plan:offline`: synthesize, then terraform init and plan the stack with fake credentials
// and no backend, from the local provider mirror where there is one: the plan the tests judge,
// printed as Terraform prints it. Nothing reaches AWS; nothing is applied. No separate `validate`:
// a plan validates the configuration first and stops on what validate would report.
import { execFileSync, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { STACK_NAME } from "../../src/app/stack-name";
import { PROJECT_ROOT } from "../../src/functions/project-root";
import { offlineWorkdir } from "./offline-workdir";

/** Runs `command`; its exit status, after saying why it could not start. */
function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): number {
  const result = spawnSync(command, args, { ...options, stdio: "inherit" });
  if (result.error) {
    console.error(`${command} could not run: ${result.error.message}${command === "terraform" ? " (install Terraform >= 1.10 and put it on PATH)" : ""}`);
    return 1;
  }
  return result.status ?? 1;
}

const outdir = join(PROJECT_ROOT, "cdktf.out");
const synth = run(process.execPath, [join(PROJECT_ROOT, "tools", "scripts", "synth.mjs")], {
  cwd: PROJECT_ROOT,
  env: { ...process.env, CDKTF_OUTDIR: outdir },
});
if (synth !== 0) process.exit(synth);
const dir = offlineWorkdir(join(outdir, "stacks", STACK_NAME));
const keep = process.argv.includes("--keep");
const cliConfig = execFileSync(process.execPath, [join(PROJECT_ROOT, "tools", "scripts", "terraform-cli-config.mjs"), join(dir, "cli.tfrc")], {
  encoding: "utf8",
}).trim();
const env = { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
console.log(`\nOffline plan in a copy of the stack at ${dir} (no backend, fake credentials):`);
const color = process.stdout.isTTY ? [] : ["-no-color"];
let status = 0;
for (const args of [
  ["init", "-input=false"],
  ["plan", "-input=false", "-lock=false", "-compact-warnings"],
]) {
  status = run("terraform", [...args, ...color], { cwd: dir, env });
  if (status !== 0) break;
}
if (!keep) rmSync(dir, { recursive: true, force: true });
console.log(
  [
    "",
    keep ? `The copy stays in ${dir} (--keep).` : `Removed the copy ${dir} (npm run plan:offline -- --keep leaves it).`,
    "Expected along the way: init's note that the lock file is incomplete (it names this machine's platform only, and goes",
    "with the copy), and one warning that reset_on_delete is deprecated (provider 5.x warns because 6.x always resets the",
    "account's logging role on destroy, which is what this stack asks for: src/chat/api-gateway-logging-role.ts).",
  ].join("\n"),
);
process.exit(status);
