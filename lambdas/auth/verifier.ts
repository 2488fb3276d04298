import { isChannelPattern } from "../contract/channels";
import { createRemoteJWKSet, errors, jwtVerify } from "jose";
import type { AuthSettings } from "../contract/auth-settings";

/** What a verified token tells the API: who it is. */
export interface VerifiedToken {
  /** The `sub` claim: the user's stable id at the issuer. */
  readonly subject: string;
  /** The channel patterns of its channels claim (lambdas/contract/channels.ts); none when it has no such claim. @default [] */
  readonly channels?: readonly string[];
}

/** Why a token was refused, by name only: never the token or its claims' values. */
export class TokenRejected extends Error {
  override name = "TokenRejected";
  constructor(readonly reason: string) {
    super(`token rejected: ${reason}`);
  }
}

/** Checks a token; resolves with its subject or rejects with {@link TokenRejected}. */
export type TokenVerifier = (token: string) => Promise<VerifiedToken>;

/**
 * Asymmetric algorithms only: with a symmetric one anyone who knows the key could mint tokens,
 * and "none" is never accepted. RS256 is what Cognito and most OIDC issuers sign with.
 */
export const ACCEPTED_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"];

/**
 * A verifier backed by jose: signature against the issuer's JWKS, `iss`, `aud`, `exp` and `nbf`
 * (60 s of clock skew). The key set is fetched on first use and kept for the warm container's life;
 * jose refetches it when a token names a key id it does not have (key rotation), at most every 30 s.
 */
export function createJwtVerifier(settings: AuthSettings): TokenVerifier {
  const keys = createRemoteJWKSet(settings.jwksUri, { timeoutDuration: 3000 });
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: ACCEPTED_ALGORITHMS,
        clockTolerance: 60,
        requiredClaims: ["sub", "exp"],
      });
      if (typeof payload.sub !== "string" || payload.sub === "") throw new TokenRejected("no subject");
      // The channel patterns: a claim that is missing or not a list of patterns allows no channel.
      const claimed = payload[settings.channelsClaim];
      return { subject: payload.sub, channels: Array.isArray(claimed) ? claimed.filter(isChannelPattern) : [] };
    } catch (error) {
      if (error instanceof TokenRejected) throw error;
      // The issuer's key set could not be read: an outage, not a bad token (API Gateway answers 500).
      if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) throw error;
      // jose's error codes (ERR_JWT_EXPIRED, ERR_JWS_SIGNATURE_VERIFICATION_FAILED…) say why without quoting the token.
      if (error instanceof errors.JOSEError) throw new TokenRejected(error.code);
      throw error;
    }
  };
}
