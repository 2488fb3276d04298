import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { CHAT_PROTOCOL_V2 } from "../lambdas/contract/auth-subprotocol";
import { LOCAL_CREDENTIALS } from "../tools/fakes/local-aws";
import { useLocalGateway } from "./support/local-gateway";
import { TestClient } from "./support/ws-client";

const gateway = useLocalGateway();

// Every wait below has its own bound (TestClient.next: 5 s; the SDK's request timeout: 10 s).
jest.setTimeout(30_000);

/** The real Lambda client at the local gateway, as a backend would use it against AWS. */
function lambda(credentials: { accessKeyId: string; secretAccessKey: string } = LOCAL_CREDENTIALS): LambdaClient {
  const { url, region } = gateway.server;
  return new LambdaClient({ endpoint: url, region, credentials, maxAttempts: 1, requestHandler: { requestTimeout: 10_000 } });
}

async function invoke(payload: string, client = lambda()) {
  try {
    const answer = await client.send(new InvokeCommand({ FunctionName: "local-publish", Payload: Buffer.from(payload) }));
    return { ...answer, body: JSON.parse(Buffer.from(answer.Payload ?? []).toString("utf8")) as unknown };
  } finally {
    client.destroy();
  }
}

describe("server-side publish: the Lambda Invoke API of the local gateway, the real LambdaClient", () => {
  test("a backend's payload reaches the channel's subscribers with from.server, and the outcome is the Invoke result", async () => {
    const client = await TestClient.open(gateway.server.websocketUrl, [CHAT_PROTOCOL_V2]);
    gateway.clients.push(client);
    client.send(JSON.stringify({ action: "subscribe", channel: "news" }));
    await client.next((text) => text.includes('"subscribed"'));
    const answer = await invoke(JSON.stringify({ channel: "news", data: "from the backend" }));
    expect(answer.StatusCode).toBe(200);
    expect(answer.FunctionError).toBeUndefined();
    expect(answer.body).toEqual({ type: "published", channel: "news", delivered: 1, pruned: 0, failed: 0, complete: true });
    expect(JSON.parse(await client.next())).toEqual({ type: "message", channel: "news", from: { server: true }, data: "from the backend" });
  });

  test.each([
    ['{"channel":"news"}', "INVALID_REQUEST", /data/],
    ['{"channel":"news","data":"x","chanel":"typo"}', "INVALID_REQUEST", /chanel/],
    ['{"channel":"room//a","data":"x"}', "INVALID_CHANNEL", /segments/],
    [JSON.stringify({ channel: "news", data: "x".repeat(32 * 1024 + 1) }), "MESSAGE_TOO_LARGE", /32768/],
  ])("a bad request %#: an error outcome (not a function error, so the Errors alarm stays for real failures)", async (payload, code, message) => {
    const answer = await invoke(payload);
    expect(answer.FunctionError).toBeUndefined();
    expect(answer.body).toMatchObject({ type: "error", code, message: expect.stringMatching(message) });
  });

  test("the Invoke API's own refusals: a payload that is not JSON, a wrong secret (SigV4 for service lambda), an unknown function", async () => {
    await expect(invoke("not json")).rejects.toMatchObject({ name: "InvalidRequestContentException" });
    await expect(invoke("{}", lambda({ ...LOCAL_CREDENTIALS, secretAccessKey: "wrong" }))).rejects.toMatchObject({
      name: "InvalidSignatureException",
      $metadata: { httpStatusCode: 403 },
    });
    const client = lambda();
    await expect(client.send(new InvokeCommand({ FunctionName: "local-sendmessage", Payload: Buffer.from("{}") }))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      $metadata: { httpStatusCode: 404 },
    });
    client.destroy();
  });
});
