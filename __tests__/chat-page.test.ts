import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { ApiGatewayManagementApiClient, DeleteConnectionCommand } from "@aws-sdk/client-apigatewaymanagementapi";
import { chromium, type Browser, type Page } from "playwright-core";
import { startDevServer, type DevServer } from "../dev/server";
import { localManagementClientConfig, QUIET_HANDLERS } from "./support/local-gateway";

/** Debian's `chromium` (apt-get install -y chromium; .ci/run installs it). `npx playwright install` cannot download here. */
function findChromium(): string | undefined {
  try {
    return execFileSync("which", ["chromium"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const executablePath = findChromium();
if (executablePath === undefined) {
  console.warn("chat-page tests SKIPPED: no `chromium` on PATH; install it with `apt-get install -y chromium`");
}
const describeWithChromium = executablePath === undefined ? describe.skip : describe;

let server: DevServer;
let browser: Browser;

/** A page in its own browser context: two of them are two independent users. */
async function openChat(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 720, height: 560 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(`${server.url}/`);
  await page.locator('#status[data-state="open"]').waitFor({ timeout: 5000 });
  return page;
}

/** The connection id the page learned from `$default` (shown in its status). */
async function connectionIdOf(page: Page): Promise<string> {
  await page.locator("#status", { hasText: "Connected as " }).waitFor({ timeout: 5000 });
  return (await page.locator("#status").textContent())!.replace("Connected as ", "").trim();
}

describeWithChromium("chat page in headless Chromium", () => {
  beforeAll(async () => {
    server = await startDevServer({ port: 0, handlerEnvironment: QUIET_HANDLERS });
    // launch() gives every run a fresh, temporary user-data-dir.
    browser = await chromium.launch({
      executablePath,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
  }, 20_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test("R1 two pages chat with each other through /websocket, showing the wire as text only", async () => {
    const alice = await openChat();
    const bob = await openChat();

    await alice.getByRole("textbox", { name: "Message" }).fill("hello from Alice");
    await alice.getByRole("button", { name: "Send" }).click();
    await bob.locator("#log li", { hasText: "hello from Alice" }).waitFor({ timeout: 5000 });
    await alice.locator("#log li", { hasText: "hello from Alice" }).waitFor({ timeout: 5000 });

    const markup = `<img src=x onerror="window.__injected=1"><b>not bold</b>`;
    await bob.getByRole("textbox", { name: "Message" }).fill(markup);
    await bob.getByRole("textbox", { name: "Message" }).press("Enter");
    const shown = alice.locator("#log li", { hasText: "not bold" });
    await shown.waitFor({ timeout: 5000 });
    expect(await shown.textContent()).toContain(markup);
    expect(await alice.locator("#log img, #log b").count()).toBe(0);
    expect(await alice.evaluate(() => (globalThis as { __injected?: number }).__injected)).toBeUndefined();

    await bob.getByRole("textbox", { name: "Message" }).fill("hi Alice, Bob here");
    await bob.getByRole("button", { name: "Send" }).click();
    await alice.locator("#log li", { hasText: "hi Alice, Bob here" }).waitFor({ timeout: 5000 });

    expect(await alice.locator("#log").getAttribute("aria-live")).toBe("polite");
    expect(await alice.locator("#status").getAttribute("role")).toBe("status");

    // The README's picture: refreshed with UPDATE_SCREENSHOT=1, so a plain test run leaves the tree clean.
    const shot = await alice.screenshot();
    expect(shot.subarray(1, 4).toString()).toBe("PNG");
    if (process.env.UPDATE_SCREENSHOT === "1") writeFileSync(path.join(__dirname, "..", "docs", "chat.png"), shot);
  }, 20_000);

  test("reconnects with backoff when the server closes its socket", async () => {
    const page = await openChat();
    const id = await connectionIdOf(page);
    const management = new ApiGatewayManagementApiClient(localManagementClientConfig(server));
    try {
      await management.send(new DeleteConnectionCommand({ ConnectionId: id }));
    } finally {
      management.destroy();
    }
    await page.locator('#status[data-state="waiting"]').waitFor({ timeout: 3000 });
    await page.locator("#log li", { hasText: "Disconnected (code 1000)" }).waitFor({ timeout: 3000 });
    await page.locator('#status[data-state="open"]').waitFor({ timeout: 5000 });
    expect(await connectionIdOf(page)).not.toBe(id);
    expect(await page.getByRole("button", { name: "Send" }).isEnabled()).toBe(true);
  }, 15_000);
});
