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
