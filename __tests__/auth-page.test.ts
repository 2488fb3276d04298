import type { Browser } from "playwright-core";
import { startDevServer, type DevServer } from "../tools/gateway/server";
import { type LocalIssuer, startLocalIssuer } from "../tools/gateway/local-issuer";
import { describeWithChromium, findChromium, launchChromium } from "./support/chromium";
import { QUIET_HANDLERS } from "./support/local-gateway";

const executablePath = findChromium();

describeWithChromium("the chat page with auth on (headless Chromium)", () => {
  let issuer: LocalIssuer;
  let server: DevServer;
  let browser: Browser;

  beforeAll(async () => {
    issuer = await startLocalIssuer();
    server = await startDevServer({ port: 0, authorizerEnvironment: issuer.environment, handlerEnvironment: QUIET_HANDLERS });
    browser = await launchChromium(executablePath!);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await issuer?.close();
  });

  test("a token in the fragment is offered as the subprotocol: the page connects and chats, and the token leaves the address bar", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/#token=${await issuer.sign({ subject: "browser-user" })}`);
    await page.locator('#status[data-state="open"]').waitFor({ timeout: 30_000 });
    expect(page.url()).toBe(`${server.url}/`);
    await page.fill("#message", "hello from the browser");
    await page.click("#send");
    await page.locator("#log li", { hasText: "hello from the browser" }).waitFor({ timeout: 30_000 });
  });

  test("without a token the handshake is refused (401): the page never opens and keeps retrying", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await page.locator("#log li", { hasText: "Disconnected" }).first().waitFor({ timeout: 30_000 });
    expect(await page.locator("#status").getAttribute("data-state")).not.toBe("open");
  });
});
