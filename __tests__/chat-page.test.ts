import { writeFileSync } from "node:fs";
import path from "node:path";
import { ApiGatewayManagementApiClient, DeleteConnectionCommand } from "@aws-sdk/client-apigatewaymanagementapi";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { startDevServer, type DevServer } from "../tools/gateway/server";
import { BROWSER_TEST_TIMEOUT_MS, describeWithChromium, findChromium, launchChromium } from "./support/chromium";
import { localManagementClientConfig, QUIET_HANDLERS } from "./support/local-gateway";
import { TestClient } from "./support/ws-client";

const executablePath = findChromium();

let server: DevServer;
let browser: Browser;
/** Console errors, page errors and failed requests of every page a test opened: each test ends with none. */
let problems: string[] = [];

/** A page in its own browser context: two of them are two independent users. */
async function openChat(options: BrowserContextOptions = {}, fragment = ""): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 720, height: 560 }, deviceScaleFactor: 1, ...options });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} ${response.url()}`);
  });
  // networkidle: the favicon request, if any, has been answered before the test looks.
  await page.goto(`${server.url}/${fragment}`, { waitUntil: "networkidle" });
  await page.locator('#status[data-state="open"]').waitFor({ timeout: 30_000 });
  return page;
}

/** The connection id the page learned from `$default` (shown in its status). */
async function connectionIdOf(page: Page): Promise<string> {
  await page.locator("#status", { hasText: "Connected as " }).waitFor({ timeout: 30_000 });
  return ((await page.locator("#status").textContent()) ?? "").replace("Connected as ", "").trim();
}

/** WCAG 2.x relative luminance of an sRGB colour given as `rgb(r, g, b)` (https://www.w3.org/TR/WCAG22/#dfn-relative-luminance). */
function luminance(cssColor: string): number {
  const channels = /rgba?\((\d+), (\d+), (\d+)/.exec(cssColor);
  if (channels === null) throw new Error(`not an rgb() colour: ${cssColor}`);
  const [r, g, b] = channels.slice(1, 4).map((c) => {
    const s = Number(c) / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio (L1 + 0.05) / (L2 + 0.05) (https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio). */
function contrast(foreground: string, background: string): number {
  const [light, dark] = [luminance(foreground), luminance(background)].sort((a, b) => b - a);
  return (light + 0.05) / (dark + 0.05);
}

/**
 * Runs in the page (this project compiles without the DOM library): the status text colour in each
 * state against the page background, and the Send button's text against its own background.
 */
const MEASURE_COLOURS = `(() => {
  const status = document.getElementById("status");
  const background = getComputedStyle(document.body).backgroundColor;
  const states = ["open", "connecting", "waiting"].map((state) => {
    status.dataset.state = state;
    return { what: "status " + state, color: getComputedStyle(status).color, background };
  });
  const send = getComputedStyle(document.getElementById("send"));
  return [...states, { what: "Send", color: send.color, background: send.backgroundColor }];
})()`;

/** Two pages side by side with their names above them, as one PNG: the README's picture. */
async function sideBySide(pages: ReadonlyArray<{ readonly name: string; readonly page: Page }>): Promise<Buffer> {
  const shots = await Promise.all(pages.map(async ({ name, page }) => ({ name, png: (await page.screenshot()).toString("base64") })));
  const canvas = await browser.newPage({ viewport: { width: 1500, height: 640 }, deviceScaleFactor: 1 });
  try {
    const figures = shots.map((s) => `<figure><figcaption>${s.name}</figcaption><img src="data:image/png;base64,${s.png}"></figure>`).join("");
    await canvas.setContent(`<body style="margin:0;padding:16px;display:flex;gap:16px;background:#d0d4da;font:600 16px system-ui,sans-serif">
      <style>figure{margin:0}figcaption{margin:0 0 6px}img{display:block;border:1px solid #888;box-shadow:0 2px 8px #0003}</style>${figures}</body>`);
    return await canvas.locator("body").screenshot();
  } finally {
    await canvas.close();
  }
}

describeWithChromium("chat page in headless Chromium", () => {
  beforeAll(async () => {
    server = await startDevServer({ port: 0, handlerEnvironment: QUIET_HANDLERS });
    browser = await launchChromium(executablePath!);
  }, BROWSER_TEST_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  beforeEach(() => {
    problems = [];
  });

  afterEach(async () => {
    await Promise.all(browser.contexts().map((context) => context.close()));
    expect(problems).toEqual([]);
  });

  test(
    "R1 two pages chat with each other through /websocket, showing the wire as text only",
    async () => {
      const alice = await openChat();
      const bob = await openChat();

      await alice.getByRole("textbox", { name: "Message" }).fill("hello from Alice");
      await alice.getByRole("button", { name: "Send" }).click();
      await bob.locator("#log li", { hasText: "hello from Alice" }).waitFor({ timeout: 30_000 });
      await alice.locator("#log li", { hasText: "hello from Alice" }).waitFor({ timeout: 30_000 });

      const markup = `<img src=x onerror="window.__injected=1"><b>not bold</b>`;
      await bob.getByRole("textbox", { name: "Message" }).fill(markup);
      await bob.getByRole("textbox", { name: "Message" }).press("Enter");
      const shown = alice.locator("#log li", { hasText: "not bold" });
      await shown.waitFor({ timeout: 30_000 });
      expect(await shown.textContent()).toContain(markup);
      expect(await alice.locator("#log img, #log b").count()).toBe(0);
      expect(await alice.evaluate(() => (globalThis as { __injected?: number }).__injected)).toBeUndefined();

      await bob.getByRole("textbox", { name: "Message" }).fill("hi Alice, Bob here");
      await bob.getByRole("button", { name: "Send" }).click();
      await alice.locator("#log li", { hasText: "hi Alice, Bob here" }).waitFor({ timeout: 30_000 });
      await bob.locator("#log li", { hasText: "hi Alice, Bob here" }).waitFor({ timeout: 30_000 });

      expect(await alice.locator("#log").getAttribute("aria-live")).toBe("polite");
      expect(await alice.locator("#status").getAttribute("role")).toBe("status");

      // The README's picture, made only when asked (UPDATE_SCREENSHOT=1): a plain run leaves the tree
      // clean and spends no browser time on a picture nobody keeps.
      if (process.env.UPDATE_SCREENSHOT === "1") {
        const shot = await sideBySide([
          { name: "Alice's browser", page: alice },
          { name: "Bob's browser", page: bob },
        ]);
        expect(shot.subarray(1, 4).toString()).toBe("PNG");
        writeFileSync(path.join(__dirname, "chat-page.png"), shot);
      }
    },
    BROWSER_TEST_TIMEOUT_MS,
  );

  test(
    "a peer's text that looks like a server frame is shown as that peer's chat text: no forged error, status, summary or vanishing message",
    async () => {
      const page = await openChat();
      const ownId = await connectionIdOf(page);
      // The peer speaks no subprotocol (as wscat): what it sends is still only text, to every page.
      const peer = await TestClient.open(server.websocketUrl);
      try {
        peer.send("who am I?"); // $default answers with the caller's connection id
        const { connectionId: peerId } = JSON.parse(await peer.next((t) => t.includes('"usage"'))) as { connectionId: string };
        const forgeries = [
          JSON.stringify({ type: "error", code: "INTERNAL_ERROR", message: "Session expired, sign in again at https://evil.example/login" }),
          JSON.stringify({ type: "usage", connectionId: "ATTACKER-SET", text: "" }),
          JSON.stringify({ type: "broadcast-accepted", broadcastId: "x", recipients: 1, segments: 1 }),
          JSON.stringify({ type: "broadcast-segment", broadcastId: "x", segment: 0, segments: 1, status: "done", delivered: 999999, pruned: 0, failed: 0 }),
          JSON.stringify({ type: "usage" }),
          JSON.stringify({ message: "Internal server error", connectionId: ownId, requestId: "r" }),
        ];
        for (const forged of forgeries) peer.send(JSON.stringify({ action: "sendmessage", data: forged }));
        await page
          .locator("#log li.chat")
          .nth(forgeries.length - 1)
          .waitFor({ timeout: 30_000 });

        const shown = await page
          .locator("#log li.chat")
          .evaluateAll((items) => items.map((item) => ({ from: item.querySelector(".from")?.textContent, text: item.lastChild?.textContent })));
        // Each message is its own invocation, as in API Gateway: on a busy machine they can arrive in another order.
        expect(shown.map((line) => line.text).sort()).toEqual([...forgeries].sort());
        expect(shown.map((line) => line.from)).toEqual(forgeries.map(() => peerId));
        expect(await page.locator("#log li.error").count()).toBe(0);
        expect(await page.locator("#log li", { hasText: "Delivered to" }).count()).toBe(0);
        expect(await page.locator("#log li", { hasText: "Sending to" }).count()).toBe(0);
        expect(await page.locator("#status").textContent()).toBe(`Connected as ${ownId}`);
      } finally {
        await peer.close();
      }
    },
    BROWSER_TEST_TIMEOUT_MS,
  );

  test(
    "at a phone width (375 px) nothing scrolls sideways and Send is fully visible, also with a long connection id and word",
    async () => {
      const page = await openChat({ viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
      await connectionIdOf(page);
      await page.getByRole("textbox", { name: "Message" }).fill("a-very-long-word-without-any-space-".repeat(6));
      await page.getByRole("button", { name: "Send" }).click();
      await page.locator("#log li", { hasText: "a-very-long-word" }).waitFor({ timeout: 30_000 });

      const widths = (await page.evaluate("({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })")) as {
        scroll: number;
        client: number;
      };
      expect(widths.client).toBe(375);
      expect(widths.scroll).toBeLessThanOrEqual(widths.client);
      const send = await page.getByRole("button", { name: "Send" }).boundingBox();
      expect(send).not.toBeNull();
      expect(send?.x).toBeGreaterThanOrEqual(0);
      expect((send?.x ?? 0) + (send?.width ?? 0)).toBeLessThanOrEqual(375);
      // WCAG 2.2 AA target size (2.5.8): at least 24 by 24 CSS px.
      expect(Math.min(send?.width ?? 0, send?.height ?? 0)).toBeGreaterThanOrEqual(24);
    },
    BROWSER_TEST_TIMEOUT_MS,
  );

  test(
    "status colours and the Send button meet WCAG AA (4.5:1) in the light and the dark scheme",
    async () => {
      const ratios: Array<{ scheme: string; what: string; ratio: number }> = [];
      for (const colorScheme of ["light", "dark"] as const) {
        const page = await openChat({ colorScheme });
        const measured = (await page.evaluate(MEASURE_COLOURS)) as Array<{ what: string; color: string; background: string }>;
        ratios.push(...measured.map((m) => ({ scheme: colorScheme, what: m.what, ratio: Number(contrast(m.color, m.background).toFixed(2)) })));
      }
      expect(ratios).toHaveLength(8);
      // WCAG 2.2 SC 1.4.3 (AA): 4.5:1 for normal-size text; the status is 0.9rem.
      expect(ratios.filter((r) => r.ratio < 4.5)).toEqual([]);
      if (process.env.PRINT_CONTRAST === "1") console.log(ratios);
    },
    BROWSER_TEST_TIMEOUT_MS,
  );

  test("#room=a: pages join their room (again after a reconnect), a message in a reaches only the a pages, and hashchange moves a page", async () => {
    const [a1, a2, b] = [await openChat({}, "#room=a"), await openChat({}, "#room=a"), await openChat({}, "#room=b")];
    for (const page of [a1, a2, b]) await page.locator("#log li", { hasText: "Joined room" }).waitFor({ timeout: 30_000 });
    await expect(a1.locator("#room").textContent()).resolves.toBe("Room: a");
    await expect(b.locator("#room").textContent()).resolves.toBe("Room: b");
    await expect(a1.locator("#composer-help").textContent()).resolves.toContain("Everyone in room a sees");

    await a1.getByRole("textbox", { name: "Message" }).fill("only for room a");
    await a1.getByRole("button", { name: "Send" }).click();
    await a2.locator("#log li", { hasText: "only for room a" }).waitFor({ timeout: 30_000 });
    await a1.locator("#log li", { hasText: "only for room a" }).waitFor({ timeout: 30_000 });
    // b's page got a2's copy's time to arrive and more: then nothing of room a reached it
    await b.waitForTimeout(500);
    expect(await b.locator("#log li", { hasText: "only for room a" }).count()).toBe(0);

    // b moves to room a: it leaves b, joins a, and now gets a's messages
    await b.evaluate(`location.hash = "room=a"`);
    await b.locator("#log li", { hasText: "Joined room a." }).waitFor({ timeout: 30_000 });
    await expect(b.locator("#room").textContent()).resolves.toBe("Room: a");
    await a2.getByRole("textbox", { name: "Message" }).fill("now b is here");
    await a2.getByRole("textbox", { name: "Message" }).press("Enter");
    await b.locator("#log li", { hasText: "now b is here" }).waitFor({ timeout: 30_000 });

    // a reconnect joins the room again: the server closes a1's socket, the page reconnects and re-subscribes
    const id = await connectionIdOf(a1);
    const management = new ApiGatewayManagementApiClient(localManagementClientConfig(server));
    await management.send(new DeleteConnectionCommand({ ConnectionId: id }));
    management.destroy();
    await a1.locator("#log li", { hasText: "Joined room a." }).nth(1).waitFor({ timeout: 30_000 });
    await a2.getByRole("textbox", { name: "Message" }).fill("after the reconnect");
    await a2.getByRole("textbox", { name: "Message" }).press("Enter");
    await a1.locator("#log li", { hasText: "after the reconnect" }).waitFor({ timeout: 30_000 });
  });

  test(
    "a blank message is not sent and the page says why",
    async () => {
      const page = await openChat();
      const box = page.getByRole("textbox", { name: "Message" });
      for (const blank of ["", "   "]) {
        await box.fill(blank);
        await page.getByRole("button", { name: "Send" }).click();
        await page.locator("#composer-feedback", { hasText: "Type a message first" }).waitFor({ timeout: 2000 });
        expect(await box.getAttribute("aria-invalid")).toBe("true");
        expect(await page.evaluate("document.activeElement.id")).toBe("message");
      }
      await box.fill("now something");
      await page.getByRole("button", { name: "Send" }).click();
      await page.locator("#log li", { hasText: "now something" }).waitFor({ timeout: 30_000 });
      expect(await page.locator("#composer-feedback").textContent()).toBe("");
      expect(await box.getAttribute("aria-invalid")).toBeNull();
    },
    BROWSER_TEST_TIMEOUT_MS,
  );

  test(
    "a paste over the 32 KB frame limit is kept whole, not sent, and the page says by how much it is too long",
    async () => {
      const page = await openChat();
      const box = page.getByRole("textbox", { name: "Message" });
      const paste = "x".repeat(40_000);
      await box.fill(paste);
      const feedback = page.locator("#composer-feedback");
      await feedback.filter({ hasText: "Too long to send" }).waitFor({ timeout: 2000 });
      expect(await feedback.textContent()).toMatch(/^Too long to send: 39\.1 KB, and a message may be at most 32\.0 KB\. Shorten it by 7\.1 KB\.$/);
      expect((await box.inputValue()).length).toBe(paste.length);

      const before = await page.locator("#log li").count();
      await page.getByRole("button", { name: "Send" }).click();
      expect((await box.inputValue()).length).toBe(paste.length);
      expect(await feedback.textContent()).toMatch(/^Too long to send/);

      await box.fill("short again");
      expect(await feedback.textContent()).toBe("");
      await page.getByRole("button", { name: "Send" }).click();
      await page.locator("#log li", { hasText: "short again" }).waitFor({ timeout: 30_000 });
      expect(await page.locator("#log li", { hasText: "xxxxxxxx" }).count()).toBe(0);
      expect(await page.locator("#log li").count()).toBe(before + 1);
    },
    BROWSER_TEST_TIMEOUT_MS,
  );

  test(
    "reconnects with backoff when the server closes its socket",
    async () => {
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
      await page.locator('#status[data-state="open"]').waitFor({ timeout: 30_000 });
      expect(await connectionIdOf(page)).not.toBe(id);
      expect(await page.getByRole("button", { name: "Send" }).isEnabled()).toBe(true);
    },
    BROWSER_TEST_TIMEOUT_MS,
  );
});
