import { once } from "node:events";
import { appendFileSync, cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import WebSocket from "ws";
import { freePort, type Running, startDev, waitFor } from "./support/cli-process";

/** A copy of what `npm run dev` runs (its node_modules linked), so a test can edit handlers without touching ours. */
function copyProject(): string {
  const root = resolve(__dirname, "..");
  const copy = mkdtempSync(join(tmpdir(), "dev-watch-"));
  for (const entry of ["tools", "lambdas", "site", "src", "package.json", "tsconfig.json"]) cpSync(join(root, entry), join(copy, entry), { recursive: true });
  symlinkSync(join(root, "node_modules"), join(copy, "node_modules"));
  return copy;
}

/** The `message` of each JSON log line (the handlers' Powertools logger) in what the command printed. */
function jsonLogMessages(output: string): string[] {
  return output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => (JSON.parse(line) as { message: string }).message);
}

/** Connects, sends one chat message, waits for its broadcast back and for the gateway's line about it. */
async function chatOnce(running: Running, port: number): Promise<void> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/websocket`);
  await once(ws, "open");
  const echoed = once(ws, "message");
  ws.send(JSON.stringify({ action: "sendmessage", data: "hello world" }));
  await echoed;
  await waitFor(running, /MESSAGE\s+sendmessage\s+\S+ -> 200/);
  ws.close();
  await once(ws, "close");
}

// A gateway start (bundling the gateway after a change) takes seconds on a loaded 2-core machine; a --watch test waits for two.
jest.setTimeout(120_000);

describe("npm run dev (the command line)", () => {
  test("PORT=N picks the port; it prints the URLs, serves the site and the handlers' JSON logs, refuses a second gateway on its port (exit 1), and stops cleanly on SIGTERM", async () => {
    const port = await freePort();
    const dev = startDev([], { PORT: String(port) });
    await waitFor(dev, /is up/);
    expect(dev.output()).toContain(`site         http://127.0.0.1:${port}/`);
    expect(dev.output()).toContain(`websocket    ws://127.0.0.1:${port}/websocket`);
    expect((await fetch(`http://127.0.0.1:${port}/index.html`)).status).toBe(200);
    await chatOnce(dev, port);

    const second = startDev(["--port", String(port)]);
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use.*--port ${port + 1}`));

    dev.child.kill("SIGTERM");
    expect(await dev.exited).toBe(0);
    expect(dev.output()).toMatch(/SIGTERM: closing sockets \(1001\)[\s\S]*stopped/);
    // Without --quiet, the gateway's lines and the handlers' JSON logs both print.
    expect(dev.output()).toMatch(/CONNECT\s+\$connect\s+\S+ -> 200/);
    expect(jsonLogMessages(dev.output())).toEqual(expect.arrayContaining(["connected", "disconnected"]));
  });

  test("--watch restarts the gateway when a handler file changes, and the edited handler is what runs", async () => {
    const project = copyProject();
    try {
      const port = await freePort();
      const dev = startDev(["--watch", "--quiet", "--port", String(port)], {}, project);
      await waitFor(dev, /is up/);
      appendFileSync(join(project, "lambdas", "default.ts"), '\nconsole.log("edited $default handler loaded");\n');
      await waitFor(dev, /changed: lambdas\/default\.ts; restarting the gateway[\s\S]*edited \$default handler loaded[\s\S]*is up/);
      await chatOnce(dev, port);
      dev.child.kill("SIGTERM");
      expect(await dev.exited).toBe(0);
      expect(dev.output().match(/is up/g)).toHaveLength(2);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  test("it runs the user's configuration (mapping key and stage throttling from wscf.config.json, fan-out and message rate from WSCF_* variables); --port wins over PORT; --quiet drops the handlers' JSON logs; Ctrl-C stops it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dev-config-"));
    const configFile = join(dir, "wscf.config.json");
    writeFileSync(configFile, JSON.stringify({ mappingKey: "live", throttling: { burstLimit: 3, rateLimit: 0.1 } }));
    const port = await freePort();
    const dev = startDev(["--port", String(port), "--quiet"], {
      PORT: "1",
      WSCF_CONFIG_FILE: configFile,
      WSCF_FANOUT_INLINE_LIMIT: "1",
      WSCF_MESSAGE_RATE_BURST: "2",
      WSCF_MESSAGE_RATE_PER_SECOND: "0.1",
    });
    try {
      await waitFor(dev, /is up/);
      expect(dev.output()).toContain(`websocket    ws://127.0.0.1:${port}/live`);
      expect(await (await fetch(`http://127.0.0.1:${port}/settings.json`)).json()).toEqual({ websocketPath: "live" });
      const [alice, bob] = [new WebSocket(`ws://127.0.0.1:${port}/live`), new WebSocket(`ws://127.0.0.1:${port}/live`)];
      await Promise.all([once(alice, "open"), once(bob, "open")]);
      const heard = { alice: [] as string[], bob: [] as string[] };
      alice.on("message", (data) => heard.alice.push(String(data)));
      bob.on("message", (data) => heard.bob.push(String(data)));
      const send = async (data: string, answered: (texts: string[]) => boolean) => {
        alice.send(JSON.stringify({ action: "sendmessage", data }));
        const deadline = Date.now() + 30_000;
        while (!answered(heard.alice)) {
          if (Date.now() > deadline) throw new Error(`no answer to ${data}: ${JSON.stringify(heard)}\n${dev.output()}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };
      // Two recipients are above the inline limit of 1: the broadcast goes through the queue and the worker.
      await send("one", (texts) => texts.includes("one"));
      // The gateway prints the worker's line when the worker returns, which can be after alice has heard "one".
      await waitFor(dev, /SQS\s+fanout-worker segment/);
      await send("two", (texts) => texts.includes("two"));
      // The sender's bucket holds 2 and refills every 10 s: the third is refused by the message rate.
      await send("three", (texts) => texts.some((t) => t.includes('"RATE_LIMITED"')));
      // The stage's route bucket holds 3 and refills every 10 s: the fourth never reaches a handler.
      await send("four", (texts) => texts.some((t) => t.includes('"Too Many Requests"')));
      expect(heard.bob).toEqual(expect.arrayContaining(["one", "two"]));
      expect(heard.bob).not.toContain("three");
      alice.close();
      bob.close();
    } finally {
      dev.child.kill("SIGINT");
      await dev.exited;
      rmSync(dir, { recursive: true, force: true });
    }
    // Ctrl-C stops it as cleanly as SIGTERM.
    expect(await dev.exited).toBe(0);
    expect(dev.output()).toMatch(/SIGINT: closing sockets \(1001\)[\s\S]*stopped/);
    // --quiet keeps the gateway's readable lines and drops the handlers' JSON logs.
    expect(dev.output()).toMatch(/CONNECT\s+\$connect\s+\S+ -> 200/);
    expect(jsonLogMessages(dev.output())).toEqual([]);
  });

  test("a port that is not a number is refused before anything starts", async () => {
    const dev = startDev(["--port", "eighty"]);
    expect(await dev.exited).toBe(2);
    expect(dev.output()).toContain('--port/PORT must be an integer from 0 to 65535, got "eighty"');
  });
});
