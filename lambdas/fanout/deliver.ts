import { type ConnectionsApi, errorName, isGone, isThrottled } from "../chat/connections-api";
import type { ConnectionStore } from "../chat/store";

/** What a segment did: the same counts sendmessage logs for an inline broadcast. */
export interface SegmentTally {
  delivered: number;
  pruned: number;
  failed: number;
  /** `failed`, counted by error name (`prune:<name>` when a stale id could not be deleted). */
  failures: Record<string, number>;
  /** @connections answers 429, the ones retried (by the SDK or here) included. */
  throttled: number;
}

export interface Delivery {
  readonly connections: ConnectionsApi;
  readonly store: Pick<ConnectionStore, "remove">;
  /** Until when (clock ms) a throttled recipient is tried again. */
  readonly deadline: number;
  readonly clock: () => number;
}

/**
 * Posts `data` to `recipient` and counts the outcome: delivered; 410 prunes the recipient; a 429
 * that outlived the SDK's retries is tried again (the rate budget has been cut meanwhile) until
 * `deadline`, so throttling delays a delivery instead of losing it; anything else is a failure.
 */
export async function deliver(delivery: Delivery, tally: SegmentTally, recipient: string, data: string): Promise<void> {
  const fail = (name: string): void => {
    tally.failed += 1;
    tally.failures[name] = (tally.failures[name] ?? 0) + 1;
  };
  for (;;) {
    try {
      await delivery.connections.post(recipient, data, { onThrottled: () => void (tally.throttled += 1) });
      tally.delivered += 1;
      return;
    } catch (error) {
      if (isThrottled(error) && delivery.clock() < delivery.deadline) continue;
      if (!isGone(error)) return fail(errorName(error));
      try {
        await delivery.store.remove(recipient);
        tally.pruned += 1;
      } catch (pruneError) {
        fail(`prune:${errorName(pruneError)}`);
      }
      return;
    }
  }
}
