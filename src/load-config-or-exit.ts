import { EXAMPLE_DOMAIN, type Config } from "./config";
import { ConfigError, loadConfig } from "./config-sources";

/**
 * For the app's entry point: the configuration, or every problem on stderr and exit code 1
 * before anything is synthesized (no stack trace for a user's typo).
 */
export function loadConfigOrExit(env: NodeJS.ProcessEnv): Config {
  try {
    const config = loadConfig(env);
    if (config.domainName === EXAMPLE_DOMAIN.domainName) {
      console.error(
        `note: synthesizing for the example domain ${EXAMPLE_DOMAIN.domainName}; it plans but cannot apply. ` +
          "Set WSCF_DOMAIN_NAME, WSCF_HOSTED_ZONE_ID and WSCF_HOSTED_ZONE_NAME (or wscf.config.json) to deploy.",
      );
    }
    return config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
