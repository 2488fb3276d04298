import type { Browser } from "playwright-core";
import { FANOUT_ENV } from "../lambdas/contract/fanout-settings";
import { startDevServer, type DevServer } from "../tools/gateway/server";
import { describeWithChromium, findChromium, launchChromium } from "./support/chromium";
import { QUIET_HANDLERS } from "./support/local-gateway";

const executablePath = findChromium();

describeWithChromium("the chat page and a split broadcast (issue 10, headless Chromium)", () => {
  let server: DevServer;
  let browser: Browser;

  beforeAll(async () => {
    // An inline limit of 1: any broadcast to 2 or more goes through the queue and the workers.
    server = await startDevServer({ port: 0, handlerEnvironment: { ...QUIET_HANDLERS, [FANOUT_ENV.inlineLimit]: "1", [FANOUT_ENV.workers]: "2" } });
    browser = await launchChromium(executablePath!);
  }, 20_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test("the sender sees the acknowledgement, then one summary once every segment has reported; the others get the message", async () => {
    const [alice, bob, carol] = await Promise.all([browser.newPage(), browser.newPage(), browser.newPage()]);
    for (const page of [alice, bob, carol]) {
      await page.goto(server.url);
      await page.locator('#status[data-state="open"]').waitFor({ timeout: 5000 });
    }
    await alice.fill("#message", "hello, everyone");
    await alice.click("#send");
    for (const page of [alice, bob, carol]) await page.locator("#log li", { hasText: "hello, everyone" }).waitFor({ timeout: 10_000 });
    await alice.locator("#log li", { hasText: /^.*Sending to 3 connections in \d+ parts/ }).waitFor({ timeout: 5000 });
    await alice.locator("#log li", { hasText: "Delivered to 3 connections." }).waitFor({ timeout: 10_000 });
    // No raw report reaches the log as text.
    expect(await alice.locator("#log li", { hasText: "broadcast-segment" }).count()).toBe(0);
  }, 40_000);
});
