import { Logger } from "@aws-lambda-powertools/logger";
import type { APIGatewayRequestAuthorizerEvent } from "aws-lambda";
import { generateKeyPair, SignJWT } from "jose";
import { authorize, UNAUTHORIZED } from "../lambdas/auth/authorize";
import { readAuthSettings } from "../lambdas/contract/auth-settings";
import { CHAT_SUBPROTOCOL } from "../lambdas/contract/auth-subprotocol";
import { createJwtVerifier } from "../lambdas/auth/verifier";
import { type LocalIssuer, startLocalIssuer } from "../tools/gateway/local-issuer";

const METHOD_ARN = "arn:aws:execute-api:ap-northeast-1:123456789012:abcdef123/Prod/$connect";

/** A REQUEST authorizer event as API Gateway sends it for a WebSocket $connect. */
function connectEvent(protocolHeader?: string): APIGatewayRequestAuthorizerEvent {
  return {
    type: "REQUEST",
    methodArn: METHOD_ARN,
    headers: { Host: "chat.example.org", ...(protocolHeader === undefined ? {} : { "Sec-WebSocket-Protocol": protocolHeader }) },
    requestContext: { requestId: "req-1", routeKey: "$connect", eventType: "CONNECT" },
  } as unknown as APIGatewayRequestAuthorizerEvent;
}

describe("the $connect authorizer (jose against the issuer's JWKS)", () => {
  let issuer: LocalIssuer;
  let deps: Parameters<typeof authorize>[0];
  let logged: string[];
  const offer = (token: string) => `${CHAT_SUBPROTOCOL}, ${token}`;
  const effectOf = async (header: string) => (await authorize(deps, connectEvent(header))).policyDocument.Statement[0].Effect;

  beforeAll(async () => {
    issuer = await startLocalIssuer();
  });
  afterAll(() => issuer.close());
  beforeEach(() => {
    logged = [];
    const logger = new Logger({ serviceName: "test", logLevel: "DEBUG" });
    // Powertools writes info to stdout and warnings to stderr.
    for (const stream of [process.stdout, process.stderr]) {
      jest.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => {
        logged.push(String(chunk));
        return true;
      });
    }
    deps = { verify: createJwtVerifier(readAuthSettings(issuer.environment)), logger };
  });
  afterEach(() => jest.restoreAllMocks());

  test("a valid token: Allow on this $connect, the subject as principal and in the context, the token in no log line", async () => {
    const token = await issuer.sign({ subject: "user-42" });
    const result = await authorize(deps, connectEvent(offer(token)));
    expect(result).toMatchObject({
      principalId: "user-42",
      context: { sub: "user-42" },
      policyDocument: { Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: METHOD_ARN }] },
    });
    expect(logged.join("")).toContain("connection authorized");
    expect(logged.join("")).not.toContain(token.split(".")[2]);
  });

  test("an expired token is denied", async () => {
    expect(await effectOf(offer(await issuer.sign({ expiresAt: Math.floor(Date.now() / 1000) - 3600 })))).toBe("Deny");
    expect(logged.join("")).toContain("ERR_JWT_EXPIRED");
  });

  test("a token for another audience is denied", async () => {
    expect(await effectOf(offer(await issuer.sign({ audience: "someone-else" })))).toBe("Deny");
  });

  test("a token from another issuer is denied", async () => {
    expect(await effectOf(offer(await issuer.sign({ issuer: "https://evil.example.org" })))).toBe("Deny");
  });

  test("a token signed with another key (naming the issuer's key id) is denied", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: "RS256", kid: issuer.keyId })
      .setSubject("intruder")
      .setIssuer(issuer.issuer)
      .setAudience(issuer.audience)
      .setExpirationTime("1h")
      .sign(privateKey);
    expect(await effectOf(offer(forged))).toBe("Deny");
    expect(logged.join("")).toContain("ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
  });

  test("an unsigned token (alg none) is denied", async () => {
    const [, payload] = (await issuer.sign()).split(".");
    const header = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    expect(await effectOf(offer(`${header}.${payload}.`))).toBe("Deny");
  });

  test.each([
    ["no header", undefined],
    ["the chat subprotocol alone", CHAT_SUBPROTOCOL],
    ["a token without the chat subprotocol", "eyJhbGciOi.eyJzdWIi.c2ln"],
  ])("no token (%s): Unauthorized, which API Gateway answers with 401", async (_what, header) => {
    await expect(authorize(deps, connectEvent(header))).rejects.toThrow(new Error(UNAUTHORIZED));
  });
});
