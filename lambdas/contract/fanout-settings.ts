import { EnvNumbers } from "./env-numbers";

/**
 * Environment variables of the split fan-out, shared by the stack (writer), sendmessage and the
 * worker (readers), so the names cannot drift apart.
 */
export const FANOUT_ENV = {
  /**
   * The jobs queue's URL: sendmessage sends jobs there (unset: the split path is off and every
   * broadcast is inline); the worker gives failed jobs back there.
   */
  queueUrl: "FANOUT_QUEUE_URL",
  /** Broadcasts to at most this many recipients stay inline. */
  inlineLimit: "FANOUT_INLINE_LIMIT",
  /** Posts per second shared by all workers. */
  ratePerSecond: "FANOUT_RATE_PER_SECOND",
  /** Workers at once: the event source mapping's maximum concurrency. */
  workers: "FANOUT_WORKERS",
  /** The worker function's timeout, seconds. */
  workerTimeoutSeconds: "FANOUT_WORKER_TIMEOUT_SECONDS",
  /** The queue's maxReceiveCount: the worker tells the sender when a job's last attempt failed. */
  maxReceiveCount: "FANOUT_MAX_RECEIVE_COUNT",
  /** Posts per second one worker is allowed at most, whatever its share of the rate budget (the stack leaves the default; the benchmark raises it). */
  workerCapacityPerSecond: "FANOUT_WORKER_CAPACITY_PER_SECOND",
} as const;

/**
 * Defaults, shared with the stack's config schema (src/config/config.ts), where each is explained.
 * The rate budget is a fifth of the account's default PostToConnection quota of 10,000/s
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html), which every API in
 * the region shares.
 */
export const FANOUT_DEFAULTS = {
  inlineLimit: 2000,
  ratePerSecond: 2000,
  workers: 4,
  workerTimeoutSeconds: 300,
  maxReceiveCount: 3,
  /**
   * Posts per second one worker sustains alone: 50 posts in flight at ~20-40 ms each allow
   * 1,250-2,500/s; the benchmark measured 496 µs of worker CPU per post here, ~2,000/s per vCPU,
   * so ~580/s on the worker's 512 MB (README, "Fan-out to a million"). The planner never gives a
   * worker more than this.
   */
  workerCapacityPerSecond: 1000,
} as const;

/**
 * Seconds a worker keeps in reserve at the end of its invocation: posts in flight must settle (3 s
 * per attempt, 4 attempts with backoff, lambdas/base/clients.ts) and the report must go out.
 */
export const WORKER_SAFETY_SECONDS = 20;

/**
 * The queue's visibility timeout, as a multiple of the worker's timeout (AWS's advice for SQS event
 * sources: https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html); the stack
 * and the local queue of `npm run dev` both use it.
 */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/**
 * Bounds of the fan-out settings, read by the configuration schema and by the handlers alike. Lambda
 * allows a 900 s timeout at most (https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html),
 * and the worker keeps WORKER_SAFETY_SECONDS of it in reserve; SQS redrives after 1-1000 receives
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html).
 * Workers: the handlers run with one (the split benchmark's baseline); a deployment needs 2 at least,
 * which is the event source mapping's own minimum, checked in the configuration schema.
 */
export const FANOUT_LIMITS = {
  inlineLimit: { min: 0, max: Number.MAX_SAFE_INTEGER },
  ratePerSecond: { min: 1, max: 1_000_000 },
  workers: { min: 1, max: 1000 },
  workerTimeoutSeconds: { min: WORKER_SAFETY_SECONDS + 10, max: 900 },
  maxReceiveCount: { min: 1, max: 1000 },
} as const;

/** What the planner needs to know about the fan-out's capacity. */
export interface FanoutBudget {
  /** Broadcasts with at most this many recipients are delivered inline by sendmessage. */
  readonly inlineLimit: number;
  /** Posts per second shared by all workers (the rate budget). */
  readonly ratePerSecond: number;
  /** Workers that may run at once (the event source mapping's maximum concurrency). */
  readonly workers: number;
  /** Seconds one worker may spend on one segment (its function timeout less a safety margin). */
  readonly workerBudgetSeconds: number;
  /** Posts per second one worker sustains on its own (posts in flight / post latency), measured. */
  readonly workerCapacityPerSecond: number;
}

/** The split fan-out's settings. */
export interface FanoutSettings extends Omit<FanoutBudget, "workerBudgetSeconds"> {
  /** Unset: no split path (every broadcast inline). */
  readonly queueUrl?: string;
  readonly workerTimeoutSeconds: number;
  readonly maxReceiveCount: number;
}

/** Reads and validates the fan-out settings; throws one Error naming every bad variable. */
export function readFanoutSettings(env: NodeJS.ProcessEnv): FanoutSettings {
  const numbers = new EnvNumbers(env);
  const int = (name: string, fallback: number, { min, max }: { readonly min: number; readonly max: number }) => numbers.integer(name, fallback, min, max);
  const settings = {
    queueUrl: env[FANOUT_ENV.queueUrl]?.trim() || undefined,
    inlineLimit: int(FANOUT_ENV.inlineLimit, FANOUT_DEFAULTS.inlineLimit, FANOUT_LIMITS.inlineLimit),
    ratePerSecond: int(FANOUT_ENV.ratePerSecond, FANOUT_DEFAULTS.ratePerSecond, FANOUT_LIMITS.ratePerSecond),
    workers: int(FANOUT_ENV.workers, FANOUT_DEFAULTS.workers, FANOUT_LIMITS.workers),
    workerTimeoutSeconds: int(FANOUT_ENV.workerTimeoutSeconds, FANOUT_DEFAULTS.workerTimeoutSeconds, FANOUT_LIMITS.workerTimeoutSeconds),
    maxReceiveCount: int(FANOUT_ENV.maxReceiveCount, FANOUT_DEFAULTS.maxReceiveCount, FANOUT_LIMITS.maxReceiveCount),
    workerCapacityPerSecond: int(FANOUT_ENV.workerCapacityPerSecond, FANOUT_DEFAULTS.workerCapacityPerSecond, FANOUT_LIMITS.ratePerSecond),
  };
  if (numbers.problems.length > 0) throw new Error(`Invalid fan-out settings:\n- ${numbers.problems.join("\n- ")}`);
  return settings;
}

/** The planner's budget from the settings: a worker's budget is its timeout less the reserve. */
export function fanoutBudget(settings: FanoutSettings): FanoutBudget {
  return { ...settings, workerBudgetSeconds: settings.workerTimeoutSeconds - WORKER_SAFETY_SECONDS };
}

/** What a split is planned and run with: the configuration's `fanout` fields. */
export type FanoutConfig = Pick<FanoutSettings, "inlineLimit" | "ratePerSecond" | "workers" | "workerTimeoutSeconds" | "maxReceiveCount">;

/** The budget that sendmessage plans a split with and the worker paces itself by: what readFanoutSettings reads. */
export function fanoutBudgetEnvironment(config: FanoutConfig): Record<string, string> {
  return {
    [FANOUT_ENV.inlineLimit]: String(config.inlineLimit),
    [FANOUT_ENV.ratePerSecond]: String(config.ratePerSecond),
    [FANOUT_ENV.workers]: String(config.workers),
    [FANOUT_ENV.workerTimeoutSeconds]: String(config.workerTimeoutSeconds),
  };
}

/** The worker's: the budget, and the receives after which a job is dead-lettered. */
export function fanoutWorkerEnvironment(config: FanoutConfig): Record<string, string> {
  return { ...fanoutBudgetEnvironment(config), [FANOUT_ENV.maxReceiveCount]: String(config.maxReceiveCount) };
}
