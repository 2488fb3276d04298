import type { Logger } from "@aws-lambda-powertools/logger";
import type { Metrics } from "@aws-lambda-powertools/metrics";
import type { ConnectionsApi } from "./connections-api";
import type { Clock } from "./clock";
import type { ConnectionStore } from "./store";

/** Kept back, after the broadcast's last start, for the tail of a broadcast: see deadlineReserve in deadline.ts. */
export interface DeadlineReserve {
  /** Posts in flight when new posts stop may run this long, then they are aborted. */
  readonly drainMs: number;
  /** The sender's answer may take this long, then it is abandoned. */
  readonly answerMs: number;
  /** Left for the summary log line, the way back to API Gateway, and clock differences. */
  readonly returnMs: number;
}

/**
 * What every handler works with, passed in so that tests and the local dev server can supply their
 * own peers. A feature adds its own (the message rate, the split path, channels: lambdas/routes/deps.ts).
 */
export interface BaseDeps {
  /** The table of open connection ids. */
  readonly store: ConnectionStore;
  /** @connections at the configured MANAGEMENT_ENDPOINT (R10). */
  readonly connections: ConnectionsApi;
  /** Structured JSON logger: one line per event. */
  readonly logger: Logger;
  /** CloudWatch metrics in the embedded metric format (names in lambdas/contract/telemetry.ts). */
  readonly metrics: Metrics;
  /** Posts one broadcast keeps in flight. */
  readonly fanoutConcurrency: number;
  /** The one clock: for the TTL, for skipping expired ids, and for every deadline (base/clock.ts). */
  readonly clock: Clock;
  /**
   * Time a broadcast keeps back from its deadline, matched to the @connections client's timeouts.
   * @default deadlineReserve(MANAGEMENT_TUNING): 6.5 s
   */
  readonly deadlineReserve?: DeadlineReserve;
}
