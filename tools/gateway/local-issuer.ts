import { DEFAULT_CHANNELS_CLAIM } from "../../lambdas/contract/channels";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { AUTH_SETTINGS_ENV, defaultJwksUri } from "../../lambdas/contract/auth-settings";

/** The audience of the local issuer's tokens. */
export const LOCAL_AUDIENCE = "wscf-local";

/** What a test token may differ in from a valid one. */
export interface TokenClaims {
  /** @default "local-user" */
  readonly subject?: string;
  /** @default LOCAL_AUDIENCE */
  readonly audience?: string;
  /** @default the issuer's own URL */
  readonly issuer?: string;
  /** Expiry as a jose time span ("1h") or epoch seconds. @default "1h" */
  readonly expiresAt?: string | number;
  /** The channel patterns of its channels claim (DEFAULT_CHANNELS_CLAIM). @default ["**"]: every channel */
  readonly channels?: readonly string[];
}

/** A token issuer on loopback, as the authorizer sees Cognito: keys published at `<issuer>/.well-known/jwks.json`. */
export interface LocalIssuer {
  /** `http://127.0.0.1:<port>`: the `iss` of its tokens. */
  readonly issuer: string;
  readonly audience: string;
  /** The key id its tokens name (a forged token can name it too). */
  readonly keyId: string;
  /** The authorizer's environment, pointed at this issuer. */
  readonly environment: Readonly<Record<string, string>>;
  /** Signs a token with the issuer's key. */
  sign(claims?: TokenClaims): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts a JWT issuer for the local gateway (`npm run dev -- --auth`) and the tests: an RS256 key
 * pair made with jose at start, its public half served as a JWKS on loopback. Development only.
 */
export async function startLocalIssuer(): Promise<LocalIssuer> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const keyId = "local-1";
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: keyId, alg: "RS256", use: "sig" }] });
  const server = createServer((req, res) => {
    if (req.url === "/.well-known/jwks.json") res.writeHead(200, { "Content-Type": "application/json" }).end(jwks);
    else res.writeHead(404).end();
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    audience: LOCAL_AUDIENCE,
    keyId,
    environment: { [AUTH_SETTINGS_ENV.issuer]: issuer, [AUTH_SETTINGS_ENV.audience]: LOCAL_AUDIENCE, [AUTH_SETTINGS_ENV.jwksUri]: defaultJwksUri(issuer) },
    sign: (claims = {}) =>
      new SignJWT({ [DEFAULT_CHANNELS_CLAIM]: [...(claims.channels ?? ["**"])] })
        .setProtectedHeader({ alg: "RS256", kid: keyId, typ: "JWT" })
        .setSubject(claims.subject ?? "local-user")
        .setIssuer(claims.issuer ?? issuer)
        .setAudience(claims.audience ?? LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(claims.expiresAt ?? "1h")
        .sign(privateKey),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
