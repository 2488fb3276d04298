import type { Config } from "./config";
import { ConfigError, loadConfig } from "./config-sources";

/**
 * For the app's entry point: the configuration, or every problem on stderr and exit code 1
 * before anything is synthesized (no stack trace for a user's typo).
 */
export function loadConfigOrExit(env: NodeJS.ProcessEnv): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
