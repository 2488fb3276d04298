import { tmpdir } from "node:os";
import { ConfigError, loadConfig } from "../../src/config/config-sources";

/** A domain of one's own, as a user sets it before deploying: the configuration's fields. */
export const OWN_DOMAIN = { domainName: "chat.example.org", hostedZoneId: "Z0123456789ABCDEFGHIJ", hostedZoneName: "example.org" } as const;

/** The same domain, set through the environment variables that override the config file. */
export const OWN_DOMAIN_ENV = {
  WSCF_DOMAIN_NAME: OWN_DOMAIN.domainName,
  WSCF_HOSTED_ZONE_ID: OWN_DOMAIN.hostedZoneId,
  WSCF_HOSTED_ZONE_NAME: OWN_DOMAIN.hostedZoneName,
} as const;

/** Every optional part of the stack on at once, as environment variables: the JWT authorizer, the web ACL and the alarm e-mail. */
export const AUTH_WAF_EMAIL_ENV = {
  ...OWN_DOMAIN_ENV,
  WSCF_AUTH: "jwt",
  WSCF_AUTH_ISSUER: "https://cognito-idp.ap-northeast-1.amazonaws.com/ap-northeast-1_AbCdEf123",
  WSCF_AUTH_AUDIENCE: "client123",
  WSCF_WAF_ENABLED: "true",
  WSCF_ALARM_EMAIL: "ops@example.org",
} as const;

/** The problems loadConfig reports for `env` (config files read from `cwd`); [] when it accepts them. */
export function problemsOf(env: Record<string, string>, cwd = tmpdir()): readonly string[] {
  try {
    loadConfig(env, cwd);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}
