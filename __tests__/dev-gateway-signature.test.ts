import { request } from "node:http";
import {
  ApiGatewayManagementApiClient,
  GetConnectionCommand,
  PostToConnectionCommand,
  type ApiGatewayManagementApiClientConfig,
} from "@aws-sdk/client-apigatewaymanagementapi";
import { SignatureV4 } from "@smithy/signature-v4";
import { LOCAL_CREDENTIALS } from "../tools/fakes/local-aws";
import { NodeSha256 } from "../tools/gateway/sigv4-verify";
import { localManagementClientConfig, openClient, useLocalGateway } from "./support/local-gateway";

const gateway = useLocalGateway();

/** A real SDK client for the local gateway with one setting changed. */
function clientWith(change: Partial<ApiGatewayManagementApiClientConfig>): ApiGatewayManagementApiClient {
  return new ApiGatewayManagementApiClient({ ...localManagementClientConfig(gateway.server), ...change });
}

/** GET status of `id` signed by the SDK's signer for `host` at `signingDate`, sent with `sentHost` as Host. */
async function signedGet(id: string, options: { host: string; sentHost?: string; signingDate?: Date }) {
  const endpoint = new URL(gateway.server.managementEndpoint);
  const signer = new SignatureV4({ credentials: LOCAL_CREDENTIALS, region: gateway.server.region, service: "execute-api", sha256: NodeSha256 });
  const signed = await signer.sign(
    {
      method: "GET",
      protocol: "http:",
      hostname: options.host,
      path: `${endpoint.pathname}/@connections/${encodeURIComponent(id)}`,
      query: {},
      headers: { host: options.host },
    },
    { signingDate: options.signingDate },
  );
  const headers = { ...signed.headers, host: options.sentHost ?? options.host };
  return new Promise<{ status: number; errorType: string; message: string }>((resolve, reject) => {
    const req = request({ host: endpoint.hostname, port: endpoint.port, method: "GET", path: signed.path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          errorType: String(res.headers["x-amzn-errortype"] ?? ""),
          message: chunks.length ? ((JSON.parse(Buffer.concat(chunks).toString("utf8")) as { message?: string }).message ?? "") : "",
        }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

describe("local gateway: @connections verifies the SigV4 signature as API Gateway does", () => {
  test("R11 the documented key, the gateway's region and execute-api pass (SDK client)", async () => {
    const { client, id } = await openClient(gateway.server, gateway.clients);
    await gateway.management.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from("signed right") }));
    await expect(client.next()).resolves.toBe("signed right");
  });

  test("a wrong secret is 403 InvalidSignatureException: the signature does not match", async () => {
    const { id } = await openClient(gateway.server, gateway.clients);
    const client = clientWith({ credentials: { ...LOCAL_CREDENTIALS, secretAccessKey: "not-the-secret" } });
    await expect(client.send(new GetConnectionCommand({ ConnectionId: id }))).rejects.toMatchObject({
      name: "InvalidSignatureException",
      message: expect.stringMatching(/^The request signature we calculated does not match the signature you provided/),
      $metadata: { httpStatusCode: 403 },
    });
    client.destroy();
  });

  test("an unknown access key is 403 UnrecognizedClientException", async () => {
    const { id } = await openClient(gateway.server, gateway.clients);
    const client = clientWith({ credentials: { accessKeyId: "AKIAOTHERKEY", secretAccessKey: LOCAL_CREDENTIALS.secretAccessKey } });
    await expect(client.send(new GetConnectionCommand({ ConnectionId: id }))).rejects.toMatchObject({
      name: "UnrecognizedClientException",
      message: "The security token included in the request is invalid.",
      $metadata: { httpStatusCode: 403 },
    });
    client.destroy();
  });

  test("a signature scoped to another region is 403 and says which region it was", async () => {
    const { id } = await openClient(gateway.server, gateway.clients);
    const client = clientWith({ region: "us-east-1" });
    await expect(client.send(new GetConnectionCommand({ ConnectionId: id }))).rejects.toMatchObject({
      name: "InvalidSignatureException",
      message: expect.stringMatching(/Credential should be scoped to a valid Region, not us-east-1/),
      $metadata: { httpStatusCode: 403 },
    });
    client.destroy();
  });

  test("R4 a Host rewritten after signing (CloudFront not forwarding Host) is 403: the signature does not match", async () => {
    const { id } = await openClient(gateway.server, gateway.clients);
    const host = new URL(gateway.server.url).host;
    await expect(signedGet(id, { host })).resolves.toMatchObject({ status: 200 });
    await expect(signedGet(id, { host: "chat.example.com", sentHost: host })).resolves.toMatchObject({
      status: 403,
      errorType: "InvalidSignatureException",
      message: expect.stringMatching(/does not match/),
    });
  });

  test("a signature older than 5 minutes is 403 Signature expired", async () => {
    const { id } = await openClient(gateway.server, gateway.clients);
    const host = new URL(gateway.server.url).host;
    await expect(signedGet(id, { host, signingDate: new Date(Date.now() - 6 * 60 * 1000) })).resolves.toMatchObject({
      status: 403,
      errorType: "InvalidSignatureException",
      message: expect.stringMatching(/^Signature expired: \d{8}T\d{6}Z is now earlier than/),
    });
  });
});
