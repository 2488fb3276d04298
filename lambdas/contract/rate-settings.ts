import { EnvNumbers } from "./env-numbers";

/** The environment through which the stack sets sendmessage's per-connection rate; shared by stack and handler. */
export const MESSAGE_RATE_ENV = {
  perSecond: "MESSAGE_RATE_PER_SECOND",
  burst: "MESSAGE_RATE_BURST",
  maxRefusals: "MESSAGE_RATE_MAX_REFUSALS",
} as const;

/** A token bucket: `burst` messages at once, refilled at `perSecond`. */
export interface MessageRate {
  /** Tokens added per second: the sustained rate. */
  readonly perSecond: number;
  /** The bucket's size: messages a connection may send at once after being quiet. */
  readonly burst: number;
  /**
   * Messages refused before the connection is closed, counted since its bucket was last full: a
   * client that keeps sending past its rate is cut off, so that it stops spending the stage's
   * throttle, which every connection shares.
   */
  readonly maxRefusals: number;
}

/**
 * Defaults that never limit a person typing (5 a second, 20 at once), yet cut a script's flood to 5
 * broadcasts a second, and close it after 50 refusals: a person who hits the limit waits 4 s for a
 * full bucket long before sending 50 more.
 */
export const MESSAGE_RATE_DEFAULTS: MessageRate = { perSecond: 5, burst: 20, maxRefusals: 50 };
/** Bounds of the config schema and of the handler's check; past 1,000 a second a per-connection limit means nothing. */
export const MESSAGE_RATE_LIMITS = { maxPerSecond: 1000, maxBurst: 10_000, maxRefusals: 1_000_000 } as const;

/** Reads the rate from `env` (defaults when unset); throws naming the bad variable, at cold start. */
export function readMessageRate(env: NodeJS.ProcessEnv): MessageRate {
  const numbers = new EnvNumbers(env);
  const perSecond = numbers.above(MESSAGE_RATE_ENV.perSecond, MESSAGE_RATE_DEFAULTS.perSecond, 0, MESSAGE_RATE_LIMITS.maxPerSecond);
  const burst = numbers.integer(MESSAGE_RATE_ENV.burst, MESSAGE_RATE_DEFAULTS.burst, 1, MESSAGE_RATE_LIMITS.maxBurst);
  const maxRefusals = numbers.integer(MESSAGE_RATE_ENV.maxRefusals, MESSAGE_RATE_DEFAULTS.maxRefusals, 1, MESSAGE_RATE_LIMITS.maxRefusals);
  if (numbers.problems.length > 0) throw new Error(`Invalid message rate settings:\n- ${numbers.problems.join("\n- ")}`);
  return { perSecond, burst, maxRefusals };
}

/** The environment that sets `rate` for the handlers that spend the bucket: what readMessageRate reads. */
export function messageRateEnvironment(rate: MessageRate): Record<string, string> {
  return {
    [MESSAGE_RATE_ENV.perSecond]: String(rate.perSecond),
    [MESSAGE_RATE_ENV.burst]: String(rate.burst),
    [MESSAGE_RATE_ENV.maxRefusals]: String(rate.maxRefusals),
  };
}
