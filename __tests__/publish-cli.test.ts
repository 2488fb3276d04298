import { CHAT_PROTOCOL_V2 } from "../lambdas/contract/auth-subprotocol";
import { finished, freePort, type Running, startCli, startDev, waitFor } from "./support/cli-process";
import { TestClient } from "./support/ws-client";

// Every wait has its own bound: the gateway's start (waitFor: 45 s), each publish command (60 s),
// each frame (TestClient.next). A command's start takes seconds on a loaded 2-core machine.
jest.setTimeout(240_000);

const PUBLISH_MS = 60_000;
const FRAME_MS = 10_000;

/** `npm run publish -- ...args`, run to its end. */
const publish = (args: string[], env: Record<string, string | undefined> = {}) => finished(startCli("tools/publish/cli.ts", args, env), PUBLISH_MS);

const ofType = (type: string) => (text: string) => {
  try {
    return (JSON.parse(text) as { type?: unknown }).type === type;
  } catch {
    return false;
  }
};

describe("npm run publish through npm run dev (both as processes, real ws clients speaking wscf.v2)", () => {
  let dev: Running;
  let url: string;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    dev = startDev(["--port", String(port), "--quiet"]);
    await waitFor(dev, /is up/);
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    dev.child.kill("SIGTERM");
    await finished(dev, 30_000);
  });

  async function subscriber(channel: string): Promise<TestClient> {
    const client = await TestClient.open(`${url.replace("http", "ws")}/websocket`, [CHAT_PROTOCOL_V2]);
    clients.push(client);
    client.send(JSON.stringify({ action: "subscribe", channel }));
    await client.next(ofType("subscribed"), FRAME_MS);
    return client;
  }

  test("a server-side publish to room/a reaches exactly room/a's two subscribers, and prints the counts", async () => {
    const [a1, a2, b] = [await subscriber("room/a"), await subscriber("room/a"), await subscriber("room/b")];
    const { code, output } = await publish(["--url", url, "--channel", "room/a", "--data", "hello"]);
    expect(output).toContain("published to room/a: delivered 2, pruned 0 (gone), failed 0");
    expect(code).toBe(0);
    const expected = { type: "message", channel: "room/a", from: { server: true }, data: "hello" };
    expect(JSON.parse(await a1.next(ofType("message"), FRAME_MS))).toEqual(expected);
    expect(JSON.parse(await a2.next(ofType("message"), FRAME_MS))).toEqual(expected);
    await expect(b.next(ofType("message"), 500)).rejects.toThrow(/no matching message/);
    expect(dev.output()).toMatch(/INVOKE\s+local-publish -> returned/);

    const json = await publish(["--url", url, "--channel", "room/b", "--data", "to b", "--json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.output.trim())).toEqual({ type: "published", channel: "room/b", delivered: 1, pruned: 0, failed: 0, complete: true });
    expect(JSON.parse(await b.next(ofType("message"), FRAME_MS))).toMatchObject({ channel: "room/b", data: "to b" });
  });

  test("usage errors exit 2 before anything is sent: no channel, a bad channel name, no data", async () => {
    const missing = await publish(["--url", url, "--data", "x"]);
    expect(missing).toMatchObject({ code: 2, output: expect.stringContaining("--channel is required") });
    const bad = await publish(["--url", url, "--channel", "room//a", "--data", "x"]);
    expect(bad).toMatchObject({ code: 2, output: expect.stringContaining('--channel "room//a" is not a channel name') });
    const noData = await publish(["--url", url, "--channel", "room/a"]);
    expect(noData).toMatchObject({ code: 2, output: expect.stringContaining("--data is required") });
    expect(dev.output()).not.toMatch(/INVOKE.*threw/);
  });

  test("a function the gateway does not serve is Lambda's ResourceNotFoundException, said plainly, exit 1", async () => {
    const { code, output } = await publish(["--url", url, "--function", "nope", "--channel", "room/a", "--data", "x"]);
    expect(code).toBe(1);
    expect(output).toContain('error: function "nope" (--function) in ap-northeast-1');
    expect(output).toContain("not found");
  });

  test("against AWS without credentials it says so (the SDK's default chain, nothing reaches the network), exit 1", async () => {
    const { code, output } = await publish(
      ["--function", "chat-publish", "--region", "us-east-1", "--channel", "room/a", "--data", "x", "--outputs-file", "/nonexistent"],
      {
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_SESSION_TOKEN: undefined,
        AWS_PROFILE: undefined,
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
        AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
        AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
        AWS_CONFIG_FILE: "/nonexistent",
      },
    );
    expect(code).toBe(1);
    expect(output).toContain("error: no AWS credentials");
  });

  test("without --url and without cdktf-outputs.json it says what to pass, exit 2", async () => {
    const { code, output } = await publish(["--channel", "room/a", "--data", "x", "--outputs-file", "/nonexistent"]);
    expect(code).toBe(2);
    expect(output).toContain("the publish function is unknown: there is no cdktf-outputs.json");
  });
});
