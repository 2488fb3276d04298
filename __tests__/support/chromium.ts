import { execFileSync } from "node:child_process";

/** Debian's `chromium` (apt-get install -y chromium; .ci/run installs it). `npx playwright install` cannot download here. */
export function findChromium(): string | undefined {
  try {
    return execFileSync("which", ["chromium"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}
