import type { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import type { Logger } from "@aws-lambda-powertools/logger";
import type { ConnectionStore } from "./store";

/** What the handlers work with, passed in so that tests and the local dev server can supply their own peers. */
export interface ChatDeps {
  /** The table of open connection ids. */
  readonly store: ConnectionStore;
  /** @connections client whose endpoint is the configured MANAGEMENT_ENDPOINT (R10). */
  readonly connections: ApiGatewayManagementApiClient;
  /** Structured JSON logger: one line per event. */
  readonly logger: Logger;
  /** Posts one broadcast keeps in flight. */
  readonly fanoutConcurrency: number;
  /** The clock (for the TTL and for skipping expired ids). */
  readonly now: () => Date;
}
