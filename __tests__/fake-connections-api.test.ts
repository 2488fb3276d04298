import {
  ApiGatewayManagementApiClient,
  type ApiGatewayManagementApiClientConfig,
  DeleteConnectionCommand,
  GetConnectionCommand,
  PostToConnectionCommand,
} from "@aws-sdk/client-apigatewaymanagementapi";
import { FakeConnectionsApi } from "../tools/fakes/connections-api";
import { LOCAL_AWS } from "../tools/fakes/local-aws";

let api: FakeConnectionsApi;
beforeAll(async () => {
  api = await FakeConnectionsApi.start();
});
afterAll(() => api.close());

/** A real SDK client for the fake, signing with the tests' key unless told otherwise. */
function client(change: Partial<ApiGatewayManagementApiClientConfig> = {}): ApiGatewayManagementApiClient {
  return new ApiGatewayManagementApiClient({ ...LOCAL_AWS, endpoint: api.endpoint, maxAttempts: 1, ...change });
}

describe("the fake @connections API speaks the local gateway's protocol", () => {
  test("R11 GET status arrives in AWS's field names, so the SDK fills ConnectedAt, Identity and LastActiveAt", async () => {
    const before = Date.now();
    api.connect("status-a=");
    const status = await client().send(new GetConnectionCommand({ ConnectionId: "status-a=" }));
    expect(status.ConnectedAt?.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(status.LastActiveAt).toEqual(status.ConnectedAt);
    expect(status.Identity).toEqual({ SourceIp: "127.0.0.1", UserAgent: "fake" });
  });

  test("R11 DELETE forgets the connection: the next POST is 410 GoneException", async () => {
    api.connect("delete-a=");
    await client().send(new DeleteConnectionCommand({ ConnectionId: "delete-a=" }));
    await expect(client().send(new PostToConnectionCommand({ ConnectionId: "delete-a=", Data: "late" }))).rejects.toMatchObject({ name: "GoneException" });
  });

  test("a request signed with another secret is 403 InvalidSignatureException, listed as unsigned and not delivered", async () => {
    api.connect("forged-a=");
    const delivered = api.delivered;
    const forged = client({ credentials: { ...LOCAL_AWS.credentials, secretAccessKey: "not-the-secret" } });
    await expect(forged.send(new PostToConnectionCommand({ ConnectionId: "forged-a=", Data: "forged" }))).rejects.toMatchObject({
      name: "InvalidSignatureException",
      $metadata: { httpStatusCode: 403 },
    });
    expect(api.unsigned.map((r) => r.connectionId)).toEqual(["forged-a="]);
    expect(api.received("forged-a=")).toEqual([]);
    expect(api.delivered).toBe(delivered);
  });

  test("a signature scoped to another region is refused before injected faults see it", async () => {
    api.connect("region-a=");
    api.throttle("region-a=", 1);
    await expect(client({ region: "eu-west-1" }).send(new PostToConnectionCommand({ ConnectionId: "region-a=", Data: "x" }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });
    // The throttle is still armed: the refused request never reached it.
    await expect(client().send(new PostToConnectionCommand({ ConnectionId: "region-a=", Data: "x" }))).rejects.toMatchObject({
      name: "LimitExceededException",
    });
    await client().send(new PostToConnectionCommand({ ConnectionId: "region-a=", Data: "y" }));
    expect(api.received("region-a=")).toEqual(["y"]);
  });

  test("slowDown: a POST counts as delivered on arrival and is answered the given ms later", async () => {
    api.connect("slow-a=");
    api.slowDown("slow-a=", 300);
    const started = performance.now();
    const answered = client().send(new PostToConnectionCommand({ ConnectionId: "slow-a=", Data: "early" }));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(api.received("slow-a=")).toEqual(["early"]);
    await answered;
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    api.heal("slow-a=");
  });
});
