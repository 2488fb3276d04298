import { DeleteConnectionCommand, GetConnectionCommand, GoneException, PostToConnectionCommand } from "@aws-sdk/client-apigatewaymanagementapi";
import { PortInUseError, startDevServer } from "../tools/gateway/server";
import { openClient, storedConnectionIds, useLocalGateway } from "./support/local-gateway";
import { resourcesOf, synthStack } from "./support/synth";
import { eventually, type TestClient } from "./support/ws-client";

// One gateway per file: the handlers read their settings once, at module load (tools/gateway/handlers.ts).
// A connection lost without a close frame gets no $disconnect (API Gateway's best effort),
// so the 410-pruning path of sendmessage is what removes it.
const gateway = useLocalGateway({ disconnectOnAbnormalClose: false });

let connecting: Promise<unknown> = Promise.resolve();

/** Opens a client and returns it with the connection id the gateway gave it (one at a time, so the new id is its own). */
function connect(): Promise<{ client: TestClient; id: string }> {
  const next = connecting.then(() => openClient(gateway.server, gateway.clients));
  connecting = next.catch(() => undefined);
  return next;
}

describe("local gateway (npm run dev)", () => {
  test("R1 serves the site at / and the socket at /websocket on one port", async () => {
    const page = await fetch(`${gateway.server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await page.text()).toMatch(/<html/i);

    const index = await fetch(`${gateway.server.url}/index.html`);
    expect(index.status).toBe(200);

    const missing = await fetch(`${gateway.server.url}/nope.txt`);
    expect(missing.status).toBe(403); // S3 behind OAC, without s3:ListBucket

    const plainGetOnSocket = await fetch(gateway.server.websocketUrl.replace(/^ws/, "http"));
    expect(plainGetOnSocket.status).toBe(426);

    const { client } = await connect();
    expect(client.socket.readyState).toBe(client.socket.OPEN);
  });

  test("serves the page's settings.json byte for byte as the stack writes it into the bucket", async () => {
    const response = await fetch(`${gateway.server.url}/settings.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    const { tf } = synthStack();
    const object = resourcesOf(tf, "aws_s3_object").find((o) => o.key === "settings.json");
    expect(await response.text()).toBe(object.content);
  });

  test("R1 does not serve files outside the site folder", async () => {
    const traversal = await fetch(`${gateway.server.url}/%2e%2e/package.json`);
    expect([403, 404]).toContain(traversal.status);
    expect(await traversal.text()).not.toMatch(/websocket-cloudfront/);
  });

  test("R9 $connect stores each connection and a broadcast reaches all of 40 concurrent clients", async () => {
    const opened = await Promise.all(Array.from({ length: 40 }, () => connect()));
    expect(await storedConnectionIds(gateway.server)).toEqual(expect.arrayContaining(opened.map((o) => o.id)));

    opened[7].client.send(JSON.stringify({ action: "sendmessage", data: "hello all 40" }));

    const got = await Promise.all(opened.map((o) => o.client.next((t) => t === "hello all 40")));
    expect(got).toHaveLength(40);
  });

  test("R9 $disconnect removes a connection that closes with a close frame", async () => {
    const { client, id } = await connect();
    expect(await storedConnectionIds(gateway.server)).toContain(id);
    await client.close();
    await eventually(async () => !(await storedConnectionIds(gateway.server)).includes(id), 3000, "row removed");
  });

  test("R9 a client that vanishes without a close frame is pruned (410) on the next broadcast", async () => {
    const [sender, other, vanishing] = await Promise.all([connect(), connect(), connect()]);
    vanishing.client.socket.terminate(); // TCP gone, no close frame
    await eventually(() => !gateway.server.connectionIds().includes(vanishing.id), 2000, "gateway notices the lost socket");
    expect(await storedConnectionIds(gateway.server)).toContain(vanishing.id);

    sender.client.send(JSON.stringify({ action: "sendmessage", data: "after the vanish" }));

    await expect(sender.client.next((t) => t === "after the vanish")).resolves.toBe("after the vanish");
    await expect(other.client.next((t) => t === "after the vanish")).resolves.toBe("after the vanish");
    await eventually(async () => !(await storedConnectionIds(gateway.server)).includes(vanishing.id), 3000, "vanished row pruned");
    expect(await storedConnectionIds(gateway.server)).toEqual(expect.arrayContaining([sender.id, other.id]));
  });

  test("routes a non-JSON body and an unknown action to $default, which tells the caller its id", async () => {
    const { client, id } = await connect();
    client.send("not json at all");
    const first = JSON.parse(await client.next((t) => t.includes('"usage"'))) as { type: string; connectionId: string };
    expect(first).toMatchObject({ type: "usage", connectionId: id });

    client.send(JSON.stringify({ action: "whoami" }));
    const second = JSON.parse(await client.next((t) => t.includes('"usage"'))) as { connectionId: string };
    expect(second.connectionId).toBe(id);
  });

  test("R11 @connections GET returns connectedAt, lastActiveAt and identity.sourceIp", async () => {
    const { id } = await connect();
    const status = await gateway.management.send(new GetConnectionCommand({ ConnectionId: id }));
    expect(status.ConnectedAt).toBeInstanceOf(Date);
    expect(status.LastActiveAt).toBeInstanceOf(Date);
    expect(status.Identity?.SourceIp).toBe("127.0.0.1");
    expect(Math.abs(status.ConnectedAt!.getTime() - Date.now())).toBeLessThan(10_000);
  });

  test("R11 @connections POST delivers the body as one text message", async () => {
    const { client, id } = await connect();
    await gateway.management.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from("test message") }));
    await expect(client.next()).resolves.toBe("test message");
  });

  test("R11 @connections DELETE closes the socket with 1000, after which the id is Gone", async () => {
    const { client, id } = await connect();
    await gateway.management.send(new DeleteConnectionCommand({ ConnectionId: id }));
    await expect(client.closed).resolves.toMatchObject({ code: 1000 });
    await expect(gateway.management.send(new GetConnectionCommand({ ConnectionId: id }))).rejects.toBeInstanceOf(GoneException);
  });

  test("@connections answers 410 GoneException for an unknown id", async () => {
    await expect(gateway.management.send(new PostToConnectionCommand({ ConnectionId: "AAAAAAAAAAA=", Data: Buffer.from("x") }))).rejects.toMatchObject({
      name: "GoneException",
      $metadata: { httpStatusCode: 410 },
    });
  });

  test("R4 @connections without Authorization answers 403 Missing Authentication Token", async () => {
    const { id } = await connect();
    const res = await fetch(`${gateway.server.managementEndpoint}/@connections/${encodeURIComponent(id)}`);
    expect(res.status).toBe(403);
    expect(res.headers.get("x-amzn-errortype")).toBe("MissingAuthenticationTokenException");
    expect(await res.json()).toEqual({ message: "Missing Authentication Token" });
  });

  test("R4 @connections refuses a SigV4 header scoped to another service", async () => {
    const { id } = await connect();
    const res = await fetch(`${gateway.server.managementEndpoint}/@connections/${encodeURIComponent(id)}`, {
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/ap-northeast-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`,
        "x-amz-date": "20261125T000000Z",
      },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("x-amzn-errortype")).toBe("InvalidSignatureException");
  });

  test("says clearly when the port is taken", async () => {
    await expect(startDevServer({ port: gateway.server.port })).rejects.toThrow(PortInUseError);
    await expect(startDevServer({ port: gateway.server.port })).rejects.toThrow(/already in use.*--port/);
  });

  test("close() closes open sockets with 1001 and stops the database", async () => {
    const { client } = await connect();
    const endpoint = gateway.server.dynamodb.endpoint;
    await gateway.server.close();
    await expect(client.closed).resolves.toMatchObject({ code: 1001 });
    await expect(fetch(`${endpoint}/`)).rejects.toThrow();
    await expect(fetch(`${gateway.server.url}/`)).rejects.toThrow();
  });
});
