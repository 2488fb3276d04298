import type { Logger } from "@aws-lambda-powertools/logger";
import type { Metrics } from "@aws-lambda-powertools/metrics";
import type { SplitFanout } from "../fanout/peers";
import type { ConnectionsApi } from "./connections-api";
import type { MessageRateLimiter } from "../rate/bucket";
import type { MessageRate } from "../contract/rate-settings";
import type { ChannelMembers } from "../channels/members";
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

/** What the handlers work with, passed in so that tests and the local dev server can supply their own peers. */
export interface ChatDeps {
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
  /** The one clock: for the TTL, for skipping expired ids, and for every deadline (chat/clock.ts). */
  readonly clock: Clock;
  /**
   * Time a broadcast keeps back from its deadline, matched to the @connections client's timeouts.
   * @default deadlineReserve(MANAGEMENT_TUNING): 6.5 s
   */
  readonly deadlineReserve?: DeadlineReserve;
  /** The split path: broadcasts above the inline limit go to the fan-out queue. @default - every broadcast inline */
  readonly fanout?: SplitFanout;
  /** The channel members table (lambdas/channels/members.ts). @default - none: this function has no channel work */
  readonly members?: ChannelMembers;
  /** `claims`: channels are limited by the token's claim (lambdas/channels/grant.ts). @default "open" */
  readonly channelAccess?: "open" | "claims";
  /** The per-connection message rate, checked before anything else. @default - no per-connection limit */
  readonly messageRate?: { readonly limiter: MessageRateLimiter; readonly rate: MessageRate };
}
