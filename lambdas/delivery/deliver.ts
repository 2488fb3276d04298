import { type ConnectionsApi, errorName, isGone, isThrottled } from "../base/connections-api";
import { type BoundedOutcome, forEachBounded } from "../base/bounded";
import type { Clock } from "../base/clock";
import type { Recipient } from "../base/store";
import type { DeadlineSignals } from "../base/deadline";

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

/** What a broadcast, a channel publish or a fan-out segment did: the counts every path logs, reports and publishes as metrics. */
export interface DeliveryTally {
  /** Recipients that accepted the message (the sender included). */
  delivered: number;
  /** Recipients that answered 410 Gone and were pruned. */
  pruned: number;
  /** Recipients that failed otherwise (after the retries), or whose stale entry could not be pruned. */
  failed: number;
  /** `failed`, counted by error name (`prune:<name>` when a stale entry could not be deleted): enough to tell throttling from outages without logging ids. */
  failures: Record<string, number>;
  /** @connections answers 429, the ones retried (by the SDK or here) included. */
  throttled: number;
  /** Recipients closed (@connections DELETE) because their buffer stayed full: among `failed`. */
  dropped: number;
}

/** A tally with nothing counted yet. */
export function emptyTally(): DeliveryTally {
  return { delivered: 0, pruned: 0, failed: 0, failures: {}, throttled: 0, dropped: 0 };
}

/**
 * How long 429s past the SDK's retries are tried again. Only where posts pass a rate budget that
 * a 429 cuts (the fan-out worker): without one (inline), trying again at the same pace only adds load.
 */
export interface ThrottledRetry {
  /** How long (ms) one recipient's 429s are tried again: {@link THROTTLED_RECIPIENT_MS}. */
  readonly forMs: number;
}

/** Where and until when one delivery run posts. */
export interface DeliveryPeers {
  readonly connections: ConnectionsApi;
  /** Removes a recipient that answered 410 (its connection row, or its channel membership). */
  prune(recipient: string, signal: AbortSignal): Promise<void>;
  /** The run's deadlines on the handler's clock (base/deadline.ts): no retry of a 429 after `stopStarting`; posts and prunes are cut at `abortInFlight`. */
  readonly deadline: DeadlineSignals;
  readonly clock: Clock;
  /** @default - a 429 that outlived the SDK's retries is a failure at once, and nobody is closed */
  readonly throttledRetry?: ThrottledRetry;
}

/**
 * Delivery to the recipients of one broadcast, publish or segment, counted in one {@link DeliveryTally}.
 * `deliver` posts to one recipient: delivered; 410 prunes the recipient; a 429 that outlived the
 * SDK's retries is, with `throttledRetry`, tried again (the rate budget has been cut meanwhile) for
 * `forMs`, never past the deadline, then counted as failed; anything else is a failure. A recipient
 * refused that long while the others went through (at most one other refused at its first attempt
 * per four delivered) has a full buffer, not the account's throttle: it is closed, so it stops
 * costing every broadcast its retries. Under the account's throttle nobody is closed.
 */
export class DeliveryRun {
  readonly tally: DeliveryTally = emptyTally();
  /** Recipients whose first attempt was answered 429: how widely throttling is spread. */
  private refusedFirst = 0;

  constructor(private readonly peers: DeliveryPeers) {}

  async deliver(recipient: string, data: string): Promise<void> {
    const { peers, tally } = this;
    const started = peers.clock.now();
    const before = { delivered: tally.delivered, refusedFirst: this.refusedFirst };
    let refused = 0;
    const onThrottled = (): void => {
      tally.throttled += 1;
      if (refused === 0) this.refusedFirst += 1;
      refused += 1;
    };
    const signal = peers.deadline.abortInFlight;
    for (;;) {
      try {
        await peers.connections.post(recipient, data, { signal, onThrottled });
        tally.delivered += 1;
        return;
      } catch (error) {
        if (isThrottled(error) && peers.throttledRetry) {
          const now = peers.clock.now();
          const patient = now - started < peers.throttledRetry.forMs;
          if (patient && !peers.deadline.stopStarting.aborted) continue;
          const othersDelivered = tally.delivered - before.delivered;
          const othersRefusedFirst = this.refusedFirst - before.refusedFirst - (refused > 0 ? 1 : 0);
          const bufferFull = !patient && othersDelivered > 0 && othersRefusedFirst <= othersDelivered * REFUSED_FIRST_PER_DELIVERED;
          return this.fail(bufferFull ? await this.drop(recipient, errorName(error)) : errorName(error));
        }
        if (!isGone(error)) return this.fail(errorName(error));
        try {
          await peers.prune(recipient, signal);
          tally.pruned += 1;
        } catch (pruneError) {
          this.fail(`prune:${errorName(pruneError)}`);
        }
        return;
      }
    }
  }

  /**
   * Delivers to every recipient of `recipients`, `concurrency` at a time, each the frame `frameFor`
   * gives it; no post starts once the deadline's `stopStarting` has come ("stopped": recipients
   * were left untried). Throws when `recipients` cannot be read.
   */
  async deliverAll(recipients: AsyncIterable<Recipient>, frameFor: (recipient: Recipient) => string, concurrency: number): Promise<BoundedOutcome> {
    return forEachBounded(recipients, concurrency, (recipient) => this.deliver(recipient.connectionId, frameFor(recipient)), {
      signal: this.peers.deadline.stopStarting,
    });
  }

  private fail(name: string): void {
    this.tally.failed += 1;
    this.tally.failures[name] = (this.tally.failures[name] ?? 0) + 1;
  }

  /**
   * Closes a recipient whose buffer stays full (its `$disconnect` removes it from the table) and
   * returns the name its failure is counted under: `failure`, or `drop:<name>` when the DELETE failed
   * too (the connection stays; the next broadcast tries it again, bounded the same way).
   */
  private async drop(recipient: string, failure: string): Promise<string> {
    try {
      await this.peers.connections.disconnect(recipient);
      this.tally.dropped += 1;
      return failure;
    } catch (error) {
      return isGone(error) ? failure : `drop:${errorName(error)}`;
    }
  }
}
