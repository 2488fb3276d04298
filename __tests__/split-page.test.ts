import type { Browser } from "playwright-core";
import { FANOUT_ENV } from "../lambdas/contract/fanout-settings";
import { startDevServer, type DevServer } from "../tools/gateway/server";
import { BROWSER_TEST_TIMEOUT_MS, describeWithChromium, findChromium, launchChromium } from "./support/chromium";
import { QUIET_HANDLERS } from "./support/local-gateway";

const executablePath = findChromium();

describeWithChromium("the chat page and a split broadcast (headless Chromium)", () => {
  let server: DevServer;
  let browser: Browser;

  beforeAll(async () => {
    // An inline limit of 1: any broadcast to 2 or more goes through the queue and the workers.
    server = await startDevServer({ port: 0, handlerEnvironment: { ...QUIET_HANDLERS, [FANOUT_ENV.inlineLimit]: "1", [FANOUT_ENV.workers]: "2" } });
    browser = await launchChromium(executablePath!);
  }, BROWSER_TEST_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test(
    "the sender sees the acknowledgement, then one summary once every segment has reported; the others get the message",
    async () => {
      const [alice, bob, carol] = await Promise.all([browser.newPage(), browser.newPage(), browser.newPage()]);
      for (const page of [alice, bob, carol]) {
        await page.goto(server.url);
        await page.locator('#status[data-state="open"]').waitFor({ timeout: 30_000 });
      }
      await alice.fill("#message", "hello, everyone");
      await alice.click("#send");
      for (const page of [alice, bob, carol]) await page.locator("#log li", { hasText: "hello, everyone" }).waitFor({ timeout: 30_000 });
      await alice.locator("#log li", { hasText: /^.*Sending to 3 connections in \d+ parts/ }).waitFor({ timeout: 30_000 });
      await alice.locator("#log li", { hasText: "Delivered to 3 connections." }).waitFor({ timeout: 30_000 });
      // No raw report reaches the log as text.
      expect(await alice.locator("#log li", { hasText: "broadcast-segment" }).count()).toBe(0);
    },
    BROWSER_TEST_TIMEOUT_MS,
  );

  /** A page whose socket is answered by the test: on its sendmessage, the acknowledgement and the reports `frames` of broadcast "b-test". */
  async function pageAnswering(frames: object[]) {
    const page = await browser.newPage();
    await page.routeWebSocket(/\/websocket/, (socket) => {
      socket.onMessage((text) => {
        if (!String(text).includes('"sendmessage"')) return;
        for (const frame of frames) socket.send(JSON.stringify({ broadcastId: "b-test", ...frame }));
      });
    });
    await page.goto(server.url);
    await page.locator('#status[data-state="open"]').waitFor({ timeout: 30_000 });
    await page.fill("#message", "anyone?");
    await page.click("#send");
    return page;
  }

  const segment = (segment: number, status: string, delivered: number, failed = 0) => ({
    type: "broadcast-segment",
    segments: 3,
    segment,
    status,
    delivered,
    pruned: 0,
    failed,
  });

  test(
    "a broadcast whose parts were dead-lettered is summed as a failure, never as delivered to 0 connections",
    async () => {
      const page = await pageAnswering([
        { type: "broadcast-accepted", recipients: 30, segments: 3, queued: 3 },
        segment(0, "retrying", 0),
        segment(0, "dead-lettered", 0),
        segment(1, "done", 9, 1),
        segment(2, "dead-lettered", 4),
      ]);

      await page
        .locator("#log li.error", {
          hasText: /^.*Delivered to 13 connections, 1 could not be reached; 2 of 3 parts failed: their connections may not have got it\.$/,
        })
        .waitFor({ timeout: 30_000 });
      expect(await page.locator("#log li", { hasText: "Delivered to" }).count()).toBe(1);
    },
    BROWSER_TEST_TIMEOUT_MS,
  );

  test(
    "a broadcast of which only some parts were queued: the page says so at once, and sums the queued parts once they have reported",
    async () => {
      const page = await pageAnswering([
        { type: "broadcast-accepted", recipients: 30, segments: 3, queued: 2 },
        segment(2, "done", 10),
        segment(0, "done", 10),
      ]);

      await page
        .locator("#log li.error", { hasText: /Sending to 30 connections in 3 parts… 1 of them could not be queued: their connections will not get it/ })
        .waitFor({ timeout: 30_000 });
      await page
        .locator("#log li.error", { hasText: /^.*Delivered to 20 connections; 1 of 3 parts could not be queued: their connections did not get it\.$/ })
        .waitFor({ timeout: 30_000 });
    },
    BROWSER_TEST_TIMEOUT_MS,
  );
});
