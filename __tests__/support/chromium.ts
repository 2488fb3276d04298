import { execFileSync } from "node:child_process";
import type { Browser } from "playwright-core";

/**
 * The browsers the tests can run, best first: Debian's `chromium-headless-shell` (what Playwright
 * itself runs for headless Chromium: the same engine without the desktop browser around it, about
 * half the CPU of a page test; .ci/run installs it), else Debian's full `chromium` in its headless
 * mode. `npx playwright install` cannot download here.
 */
export const CHROMIUM_COMMANDS = ["chromium-headless-shell", "chromium"] as const;

/** The path of the first of CHROMIUM_COMMANDS on PATH, if any. */
export function findChromium(): string | undefined {
  for (const command of CHROMIUM_COMMANDS) {
    try {
      const path = execFileSync("which", [command], { encoding: "utf8" }).trim();
      if (path !== "") return path;
    } catch {
      // not on PATH: try the next
    }
  }
  return undefined;
}

/** Headless Chromium as the browser tests run it: no sandbox (root in CI), no GPU, nothing fetched in the background; launch() gives every run a fresh, temporary user-data-dir. */
export async function launchChromium(executablePath: string): Promise<Browser> {
  // Loaded here, not at the top: the Jest global setup asks findChromium() without loading Playwright.
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/**
 * How long a browser test or its setup may take: a launch, a page load and a round trip through the
 * local gateway take seconds on a loaded 2-core machine, far past Jest's default 5 s.
 */
export const BROWSER_TEST_TIMEOUT_MS = 60_000;

/**
 * `describe` when Chromium is there, else `describe.skip` (the Jest global setup says once that it
 * is missing). Every test and hook of the suite gets BROWSER_TEST_TIMEOUT_MS, not Jest's default.
 */
export function describeWithChromium(name: string, body: () => void): void {
  if (findChromium() === undefined) {
    describe.skip(name, body);
    return;
  }
  describe(name, () => {
    jest.setTimeout(BROWSER_TEST_TIMEOUT_MS);
    body();
  });
}
