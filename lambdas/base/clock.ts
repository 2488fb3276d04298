import { setMaxListeners } from "node:events";

/**
 * The one clock a handler reads: for TTLs, for skipping expired ids, and for every deadline. Passed
 * in, so a test can hold time still (tools/fakes/manual-clock.ts) and a broadcast's deadline then
 * depends on what the test says, not on how loaded the machine is.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** A signal that aborts once this clock reaches `instant` (epoch ms), at once when it already has. */
  signalAt(instant: number): AbortSignal;
}

/** Wall-clock time; signals on Node's timers. */
export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  signalAt(instant) {
    const delay = instant - Date.now();
    return listenable(delay > 0 ? AbortSignal.timeout(delay) : AbortSignal.abort());
  },
};

/**
 * Every call in flight listens to a deadline's signal (the SDK adds and removes its own listeners),
 * so more than Node's 10 listeners is normal; a signal lives for one invocation, nothing piles up.
 */
export function listenable(signal: AbortSignal): AbortSignal {
  setMaxListeners(0, signal);
  return signal;
}
