import { Logger } from "@aws-lambda-powertools/logger";
import { SERVICE_NAME } from "../contract/telemetry";

/**
 * A Powertools JSON logger. The level comes from POWERTOOLS_LOG_LEVEL or the function's
 * logging config (AWS_LAMBDA_LOG_LEVEL), INFO by default; message contents are never logged.
 */
export function createLogger(): Logger {
  return new Logger({ serviceName: SERVICE_NAME });
}
