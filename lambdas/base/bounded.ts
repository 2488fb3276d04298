/** Options of {@link forEachBounded}. */
export interface BoundedOptions {
  /**
   * When it aborts, no further item is started, and a worker waiting for the next item stops
   * waiting; items already started run to their end (bound them with their own signal).
   * @default - every item is started
   */
  readonly signal?: AbortSignal;
}

/**
 * `"stopped"`: the signal aborted before the source reported its end, so items may have been left
 * unstarted (or none was left: the source is not asked again once stopped).
 */
export type BoundedOutcome = "finished" | "stopped";

const ABORTED = Symbol("aborted");

/**
 * Runs `work` for every item of `items` with `limit` workers that each pull the next item when
 * they finish one: with a paged source, memory holds one page plus `limit` in-flight calls,
 * however many items there are (an unbounded `Promise.all` holds every item and call at once).
 *
 * `work` should not reject: a rejection does not stop the other items; the first one is rethrown
 * after everything started has settled. An error from `items` itself ends every worker and is
 * rethrown the same way. When `options.signal` aborts, the workers stop pulling, what was started
 * settles, and the result is `"stopped"` (the source is closed; an item it was still fetching is
 * dropped, and so is its error).
 */
export async function forEachBounded<T>(
  items: AsyncIterable<T>,
  limit: number,
  work: (item: T) => Promise<void>,
  options: BoundedOptions = {},
): Promise<BoundedOutcome> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  const { signal } = options;
  // Workers share one iterator; an async generator queues concurrent next() calls, one at a time.
  const iterator = items[Symbol.asyncIterator]();
  let sourceFailure: { error: unknown } | undefined;
  let workFailure: { error: unknown } | undefined;
  let exhausted = false;
  let stopped = false;
  let dropped = false;
  const worker = async (): Promise<void> => {
    while (sourceFailure === undefined && !exhausted) {
      if (signal?.aborted) {
        stopped = true;
        return;
      }
      let next: IteratorResult<T> | typeof ABORTED;
      try {
        next = await untilAborted(iterator.next(), signal);
      } catch (error) {
        sourceFailure ??= { error };
        return;
      }
      if (next === ABORTED) {
        stopped = true;
        return;
      }
      if (!next.done && signal?.aborted) {
        // Pulled, never started: stopped, even if another worker then finds the source empty.
        dropped = true;
        return;
      }
      if (next.done) {
        exhausted = true;
        return;
      }
      try {
        await work(next.value);
      } catch (error) {
        workFailure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  const failure = sourceFailure ?? workFailure;
  if (failure) throw failure.error;
  if (!dropped && (!stopped || exhausted)) return "finished";
  // Not awaited: it would queue behind a next() still fetching, which is what the stop cut short.
  iterator.return?.().catch(() => undefined);
  return "stopped";
}

/** `promise`, or {@link ABORTED} as soon as `signal` aborts, whichever comes first. */
function untilAborted<V>(promise: Promise<V>, signal: AbortSignal | undefined): Promise<V | typeof ABORTED> {
  if (!signal) return promise;
  let onAbort = (): void => undefined;
  const aborted = new Promise<typeof ABORTED>((resolve) => {
    onAbort = () => resolve(ABORTED);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  // The race also handles a later rejection of `promise`: a dropped fetch cannot go unhandled.
  return Promise.race([promise, aborted]).finally(() => signal.removeEventListener("abort", onAbort));
}
