import { execFileSync } from "node:child_process";
import { chromium, type Browser } from "playwright-core";

/** Debian's `chromium` (apt-get install -y chromium; .ci/run installs it). `npx playwright install` cannot download here. */
export function findChromium(): string | undefined {
  try {
    return execFileSync("which", ["chromium"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Headless Chromium as the browser tests run it: no sandbox (root in CI), nothing fetched in the background. */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
}
