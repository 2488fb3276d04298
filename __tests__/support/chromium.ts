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

/** Headless Chromium as the browser tests run it: no sandbox (root in CI), no GPU, nothing fetched in the background; launch() gives every run a fresh, temporary user-data-dir. */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/** `describe` when Chromium is there, else `describe.skip` (the Jest global setup says once that it is missing). */
export const describeWithChromium = findChromium() === undefined ? describe.skip : describe;
