/**
 * Runs `work` for every item of `items` with `limit` workers that each pull the next item when
 * they finish one: with a paged source, memory holds one page plus `limit` in-flight calls,
 * however many items there are (an unbounded `Promise.all` holds every item and call at once).
 *
 * `work` should not reject: a rejection does not stop the other items; the first one is rethrown
 * after everything started has settled. An error from `items` itself ends every worker and is
 * rethrown the same way.
 */
export async function forEachBounded<T>(items: AsyncIterable<T>, limit: number, work: (item: T) => Promise<void>): Promise<void> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  // Workers share one iterator; an async generator queues concurrent next() calls, one at a time.
  const iterator = items[Symbol.asyncIterator]();
  let sourceFailure: { error: unknown } | undefined;
  let workFailure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (sourceFailure === undefined) {
      let next: IteratorResult<T>;
      try {
        next = await iterator.next();
      } catch (error) {
        sourceFailure ??= { error };
        return;
      }
      if (next.done) return;
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
}
