import { DEFAULT_CONFIG_FILE } from "./config-sources";
import { EXAMPLE_DOMAIN, type Config } from "./config";

/** The commands that touch real state; `synth` is not one of them. */
export const GUARDED_COMMANDS = ["diff", "deploy", "destroy"] as const;
export type GuardedCommand = (typeof GUARDED_COMMANDS)[number];

/**
 * Why `command` must not run with this configuration, or undefined when it may. The built-in
 * example domain synthesizes (a fresh clone works), but planning or applying it against live
 * state would mean a forgotten setting, never an intent.
 */
export function deployRefusal(config: Config, command: GuardedCommand): string | undefined {
  if (config.domainName !== EXAMPLE_DOMAIN.domainName) return undefined;
  return [
    `Refusing to ${command}: the configuration names the built-in example domain ${EXAMPLE_DOMAIN.domainName}, which nobody can deploy.`,
    `Set your own domain: cp wscf.config.example.json ${DEFAULT_CONFIG_FILE}, then edit domainName, hostedZoneId and hostedZoneName`,
    "(or set WSCF_DOMAIN_NAME, WSCF_HOSTED_ZONE_ID and WSCF_HOSTED_ZONE_NAME). Nothing was run.",
  ].join("\n");
}
