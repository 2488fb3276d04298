import { DEFAULT_CHANNELS_CLAIM } from "./channels";

/** The environment through which the stack configures the authorizer; shared by the stack (writer) and the handler (reader). */
export const AUTH_SETTINGS_ENV = {
  /** The token issuer, exactly as its `iss` claim spells it. */
  issuer: "AUTH_ISSUER",
  /** The expected `aud` claim (a Cognito app client id). */
  audience: "AUTH_AUDIENCE",
  /** Where the issuer publishes its signing keys. */
  jwksUri: "AUTH_JWKS_URI",
  /** The claim holding the channel patterns a token allows (lambdas/contract/channels.ts). */
  channelsClaim: "AUTH_CHANNELS_CLAIM",
} as const;

/** What the authorizer checks a token against. */
export interface AuthSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUri: URL;
  /** The claim holding the token's channel patterns. @default DEFAULT_CHANNELS_CLAIM */
  readonly channelsClaim: string;
}

/**
 * The JWKS address when none is configured: `<issuer>/.well-known/jwks.json`, where Cognito user
 * pools publish their keys (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html)
 * and so do Auth0 and most OIDC issuers; others give theirs as `jwksUri` (their discovery
 * document's `jwks_uri`). Fixed, rather than discovered, so a cold start makes one request, not two.
 */
export function defaultJwksUri(issuer: string): string {
  return `${issuer.replace(/\/+$/, "")}/.well-known/jwks.json`;
}

/** https, or http on the loopback interface only (the local gateway's own issuer). */
function isAllowedUrl(url: URL): boolean {
  return url.protocol === "https:" || (url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname));
}

/** Reads and validates the settings; throws one Error naming every bad variable, at cold start. */
export function readAuthSettings(env: NodeJS.ProcessEnv): AuthSettings {
  const problems: string[] = [];
  const url = (name: string, raw: string): URL | undefined => {
    try {
      const parsed = new URL(raw);
      if (isAllowedUrl(parsed)) return parsed;
    } catch {
      // reported below
    }
    problems.push(`${name} is ${JSON.stringify(raw)}: expected an https URL`);
    return undefined;
  };
  const issuer = env[AUTH_SETTINGS_ENV.issuer]?.trim() ?? "";
  const audience = env[AUTH_SETTINGS_ENV.audience]?.trim() ?? "";
  if (audience === "") problems.push(`${AUTH_SETTINGS_ENV.audience} is empty or unset: set it to the tokens' audience (aud)`);
  const issuerUrl = url(AUTH_SETTINGS_ENV.issuer, issuer);
  const jwksUri = url(AUTH_SETTINGS_ENV.jwksUri, env[AUTH_SETTINGS_ENV.jwksUri]?.trim() || defaultJwksUri(issuer));
  if (problems.length > 0 || !issuerUrl || !jwksUri) throw new Error(`Invalid authorizer settings:\n- ${problems.join("\n- ")}`);
  return { issuer, audience, jwksUri, channelsClaim: env[AUTH_SETTINGS_ENV.channelsClaim]?.trim() || DEFAULT_CHANNELS_CLAIM };
}
