import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What every AWS provider block gets so that a plan needs no account and no network. */
export const OFFLINE_PROVIDER = {
  access_key: "AKIAOFFLINEPLAN00000",
  secret_key: "offline-plan-only",
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
} as const;

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
  for (const provider of tf.provider.aws) Object.assign(provider, OFFLINE_PROVIDER);
  writeFileSync(file, JSON.stringify(tf, null, 2));
  return dir;
}
