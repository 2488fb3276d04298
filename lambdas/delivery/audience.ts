import type { ConnectionStore, Recipient, RecipientPage, ScanSegment } from "../base/store";

/**
 * DynamoDB's upper bound for a parallel scan's TotalSegments: "greater than or equal to 1, and less
 * than or equal to 1000000" (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html).
 */
export const MAX_TOTAL_SEGMENTS = 1_000_000;

/**
 * Who a message goes to: everyone connected (the connections table) or one channel's members
 * (lambdas/channels/members.ts). sendmessage, publish and the fan-out worker deliver to either the
 * same way (fanout/broadcast.ts, fanout/worker.ts).
 */
export interface Audience {
  /** The channel, for log lines and fan-out jobs; undefined for everyone connected. */
  readonly channel?: string;
  /** The most segments a split delivery may cut this audience into. */
  readonly maxSegments: number;
  /** The first page of at most `maxItems` items: a small audience is delivered from it, so it is read once. */
  firstPage(now: Date, maxItems: number): Promise<RecipientPage>;
  /** Every live recipient, streamed page by page; with `segment`, that segment's only. */
  recipients(now: Date, segment?: ScanSegment): AsyncIterable<Recipient>;
  /** How many live recipients there are (sizes a split delivery). */
  count(now: Date): Promise<number>;
  /** Removes a recipient that answered 410 Gone. */
  prune(connectionId: string, signal: AbortSignal): Promise<void>;
}

/**
 * Segments of the COUNT scan that sizes a large broadcast: 8 parallel scans read 1,000,000 ~80-byte
 * ids (80 MB, 1 MB per page) in ~10 pages each, a second or two, well inside sendmessage's 29 s.
 */
export const COUNT_PARALLELISM = 8;

/** Everyone connected: the connections table, read by Scan (parallel scan segments for a split). */
export function everyone(store: ConnectionStore): Audience {
  return {
    maxSegments: MAX_TOTAL_SEGMENTS,
    firstPage: (now, maxItems) => store.firstPage(now, maxItems),
    recipients: (now, segment) => store.recipients(now, segment),
    count: (now) => store.count(now, COUNT_PARALLELISM),
    // The sample deleted the SENDER here; the stale id is the recipient's.
    prune: (connectionId, signal) => store.remove(connectionId, signal),
  };
}

/** The recipients of a page already read, as a source for delivery. */
export async function* fromPage(page: RecipientPage): AsyncIterable<Recipient> {
  yield* page.recipients;
}
