import { type ConnectionsApi, errorName, isGone, isThrottled } from "../chat/connections-api";
import type { ConnectionStore } from "../chat/store";

/**
 * How long one recipient's 429s are tried again. PostToConnection answers 429
 * LimitExceededException both when the account is past its rate and when that connection's
 * client-side buffer is full ("The client is sending more than the allowed number of requests per
 * unit of time or the WebSocket client side buffer is full", the API's error model:
 * https://docs.aws.amazon.com/AWSJavaSDK/latest/javadoc/com/amazonaws/services/apigatewaymanagementapi/model/package-summary.html),
 * and the error carries no field that tells the two apart
 * (https://docs.aws.amazon.com/botocore/latest/reference/services/apigatewaymanagementapi/client/exceptions/LimitExceededException.html).
 * So the retry time is bounded per recipient: a client that stops reading holds one of the posts in
 * flight for this long (about three rounds of the SDK's 4 attempts), not for the worker's whole budget.
 */
export const THROTTLED_RECIPIENT_MS = 10_000;

/**
 * For a recipient still refused after {@link THROTTLED_RECIPIENT_MS} to count as a full buffer, at
 * most this many other recipients may have had their first attempt refused meanwhile, per other
 * recipient delivered. The account's throttle refuses attempts across all recipients; a full buffer
 * refuses one recipient over and over while the others' first attempts pass. With at most 1 in 4
 * attempts refused, being refused at every one of ~12 attempts (10 s) by chance has odds of
 * 0.25^12, about 6e-8.
 */
const REFUSED_FIRST_PER_DELIVERED = 0.25;

/** What a segment did: the same counts sendmessage logs for an inline broadcast. */
export interface SegmentTally {
  delivered: number;
  pruned: number;
  failed: number;
  /** `failed`, counted by error name (`prune:<name>` when a stale id could not be deleted). */
  failures: Record<string, number>;
  /** @connections answers 429, the ones retried (by the SDK or here) included. */
  throttled: number;
  /** Recipients closed (@connections DELETE) because their buffer stayed full: among `failed`. */
  dropped: number;
  /** Recipients whose first attempt was answered 429: how widely throttling is spread (see {@link deliver}). */
  refusedFirst: number;
}

export interface Delivery {
  readonly connections: ConnectionsApi;
  readonly store: Pick<ConnectionStore, "remove">;
  /** Until when (clock ms) a throttled recipient is tried again, at the latest. */
  readonly deadline: number;
  /** How long (ms) one recipient's 429s are tried again: {@link THROTTLED_RECIPIENT_MS}. */
  readonly throttledRecipientMs: number;
  readonly clock: () => number;
}

/**
 * Posts `data` to `recipient` and counts the outcome: delivered; 410 prunes the recipient; a 429
 * that outlived the SDK's retries is tried again (the rate budget has been cut meanwhile) for
 * `throttledRecipientMs`, never past `deadline`, then counted as failed; anything else is a
 * failure. A recipient refused that long while the others went through (at most one other refused
 * at its first attempt per four delivered) has a full buffer, not the account's throttle: it is
 * closed, so it stops costing every broadcast its retries. Under the account's throttle nobody is closed.
 */
export async function deliver(delivery: Delivery, tally: SegmentTally, recipient: string, data: string): Promise<void> {
  const fail = (name: string): void => {
    tally.failed += 1;
    tally.failures[name] = (tally.failures[name] ?? 0) + 1;
  };
  const started = delivery.clock();
  const before = { delivered: tally.delivered, refusedFirst: tally.refusedFirst };
  let refused = 0;
  const onThrottled = (): void => {
    tally.throttled += 1;
    if (refused === 0) tally.refusedFirst += 1;
    refused += 1;
  };
  for (;;) {
    try {
      await delivery.connections.post(recipient, data, { onThrottled });
      tally.delivered += 1;
      return;
    } catch (error) {
      if (isThrottled(error)) {
        const now = delivery.clock();
        const patient = now - started < delivery.throttledRecipientMs;
        if (patient && now < delivery.deadline) continue;
        const othersDelivered = tally.delivered - before.delivered;
        const othersRefusedFirst = tally.refusedFirst - before.refusedFirst - (refused > 0 ? 1 : 0);
        const bufferFull = !patient && othersDelivered > 0 && othersRefusedFirst <= othersDelivered * REFUSED_FIRST_PER_DELIVERED;
        return fail(bufferFull ? await drop(delivery, tally, recipient, errorName(error)) : errorName(error));
      }
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

/**
 * Closes a recipient whose buffer stays full (its `$disconnect` removes it from the table) and
 * returns the name its failure is counted under: `failure`, or `drop:<name>` when the DELETE failed
 * too (the connection stays; the next broadcast tries it again, bounded the same way).
 */
async function drop(delivery: Delivery, tally: SegmentTally, recipient: string, failure: string): Promise<string> {
  try {
    await delivery.connections.disconnect(recipient);
    tally.dropped += 1;
    return failure;
  } catch (error) {
    return isGone(error) ? failure : `drop:${errorName(error)}`;
  }
}
