import { execFile, execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = resolve(__dirname, "..", "..");

/** The project's Terraform CLI config (local provider mirror where there is one), written once. */
export function cliConfigFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), "wscf-tfrc-")), "cli.tfrc");
  execFileSync(process.execPath, [join(ROOT, "scripts", "terraform-cli-config.mjs"), file]);
  return file;
}

/**
 * Copies a synthesized stack into a working folder that plans offline: the backend is dropped
 * (state stays local) and every AWS provider gets fake keys and skips the calls that need AWS.
 * Anything else that needs AWS at plan time fails the plan: that is a bug in the stack.
 */
export function offlineWorkdir(stackDir: string, { keepBackend = false } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "wscf-plan-"));
  cpSync(stackDir, dir, { recursive: true });
  const file = join(dir, "cdk.tf.json");
  const tf = JSON.parse(readFileSync(file, "utf8"));
  if (!keepBackend) {
    delete tf.terraform.backend;
    delete tf.terraform.cloud;
  }
  for (const provider of tf.provider.aws) {
    Object.assign(provider, {
      access_key: "AKIAOFFLINEPLAN00000",
      secret_key: "offline-plan-only",
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
    });
  }
  writeFileSync(file, JSON.stringify(tf, null, 2));
  return dir;
}

/** Runs terraform in `cwd` with the project's CLI config; rejects with terraform's own output. */
export async function terraform(cwd: string, cliConfig: string, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await run("terraform", [...args], {
      cwd,
      env: { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`terraform ${args.join(" ")} failed in ${cwd}:\n${stderr ?? ""}\n${(stdout ?? "").slice(-4000)}`);
  }
}
