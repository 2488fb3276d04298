import { ConfigError, loadDeployment, type Deployment } from "./config-sources";

/**
 * For the app's entry points: the configuration and the site's files, or every problem on stderr
 * and exit code 1 before anything is synthesized (no stack trace for a user's typo).
 */
export function loadConfigOrExit(env: NodeJS.ProcessEnv): Deployment {
  try {
    return loadDeployment(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
