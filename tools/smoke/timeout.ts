/**
 * The longest delay Node's timers honour: a larger one is set to 1 ms, so the timer fires at once
 * ("When delay is larger than 2147483647 or less than 1, the delay will be set to 1",
 * https://nodejs.org/api/timers.html#settimeoutcallback-delay-args).
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** A wait that ran out of time; the message names what was awaited. */
export class TimeoutError extends Error {
  constructor(
    readonly ms: number,
    readonly what: string,
  ) {
    super(`timed out after ${ms} ms waiting for ${what}`);
    this.name = "TimeoutError";
  }
}

/** Throws a RangeError for a timeout Node's timers cannot hold (not a positive number up to MAX_TIMER_MS). */
export function checkTimerMs(ms: number, name: string): void {
  if (!(ms > 0 && ms <= MAX_TIMER_MS)) {
    throw new RangeError(`${name} must be more than 0 and at most ${MAX_TIMER_MS} ms (Node's timer limit, about 24.8 days); got ${ms}`);
  }
}

/** Resolves or rejects as `promise` does, or rejects with a TimeoutError after `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  checkTimerMs(ms, "the timeout");
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(ms, what)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
