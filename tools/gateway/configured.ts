import { resolve } from "node:path";
import { fanoutWorkerEnvironment } from "../../lambdas/contract/fanout-settings";
import { messageRateEnvironment } from "../../lambdas/contract/rate-settings";
import type { Config } from "../../src/config/config";
import { PROJECT_ROOT } from "../../src/functions/project-root";
import type { DevServerOptions } from "./server";

/**
 * What `npm run dev` takes from the configuration that synth reads (wscf.config.json, then WSCF_*
 * variables): the socket's path and stage, the stage throttling, the site folder, and every setting
 * the handlers read, written by the same contract functions the stack uses. The handlers run in one
 * process here, so they share one environment: the union of what the stack gives each function.
 */
export function configuredServerOptions(
  config: Config,
): Pick<DevServerOptions, "mappingKey" | "stage" | "throttling" | "siteDir" | "fanoutConcurrency" | "handlerEnvironment"> {
  return {
    mappingKey: config.mappingKey,
    stage: config.stageName,
    throttling: config.throttling,
    siteDir: resolve(PROJECT_ROOT, config.siteDir),
    fanoutConcurrency: config.fanoutConcurrency,
    handlerEnvironment: {
      ...fanoutWorkerEnvironment(config.fanout),
      ...messageRateEnvironment(config.messageRate),
    },
  };
}
