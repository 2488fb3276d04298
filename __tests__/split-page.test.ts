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

  test("a broadcast whose parts were dead-lettered is summed as a failure, never as delivered to 0 connections", async () => {
    const page = await browser.newPage();
    // The socket answered by the test: the acknowledgement and the reports a dead-lettering worker sends.
    await page.routeWebSocket(/\/websocket/, (socket) => {
      socket.onMessage((text) => {
        if (!String(text).includes('"sendmessage"')) return;
        const frame = (fields: object) => socket.send(JSON.stringify({ broadcastId: "b-lost", segments: 3, ...fields }));
        frame({ type: "broadcast-accepted", recipients: 30 });
        frame({ type: "broadcast-segment", segment: 0, status: "retrying", delivered: 0, pruned: 0, failed: 0 });
        frame({ type: "broadcast-segment", segment: 0, status: "dead-lettered", delivered: 0, pruned: 0, failed: 0 });
        frame({ type: "broadcast-segment", segment: 1, status: "done", delivered: 9, pruned: 0, failed: 1 });
        frame({ type: "broadcast-segment", segment: 2, status: "dead-lettered", delivered: 4, pruned: 0, failed: 0 });
      });
    });
    await page.goto(server.url);
    await page.locator('#status[data-state="open"]').waitFor({ timeout: 5000 });

    await page.fill("#message", "anyone?");
    await page.click("#send");

    const summary = page.locator("#log li.error", { hasText: /^.*Delivered to 13 connections, 1 could not be reached; 2 of 3 parts failed: their connections may not have got it\.$/ });
    await summary.waitFor({ timeout: 5000 });
    expect(await page.locator("#log li", { hasText: "Delivered to" }).count()).toBe(1);
  }, 40_000);
});
