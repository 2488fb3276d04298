import { tmpdir } from "node:os";
import { VISIBILITY_TIMEOUT_FACTOR, WORKER_SAFETY_SECONDS } from "../lambdas/contract/fanout-settings";
import { ConfigError, loadConfig } from "../src/config/config-sources";
import { ConfigSchema } from "../src/config/config";
import { DEAD_LETTER_RETENTION_SECONDS } from "../src/fanout/fanout-queue";
import { DEAD_LETTER_MIN_STAY_SECONDS, jobRetentionProblem, jobRetentionSeconds, SQS_RETENTION_SECONDS } from "../src/fanout/job-retention";
import { resourcesOf, synthStack } from "./support/synth";

/** The configuration's ranges (src/config/config.ts): the worker's timeout and the redrive's maxReceiveCount. */
const TIMEOUTS = { min: WORKER_SAFETY_SECONDS + 10, max: 900 };
const RECEIVES = { min: 1, max: 1000 };

/** Mulberry32: a seeded generator, so a failure names a case that reruns the same. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("fan-out jobs reach the dead-letter queue before SQS deletes them (retention vs maxReceiveCount × visibility)", () => {
  test("property, over every accepted pair of the allowed ranges: retention outlasts every receive, fits SQS's 60 s-14 days, and leaves a day in the dead-letter queue", () => {
    let accepted = 0;
    for (let timeout = TIMEOUTS.min; timeout <= TIMEOUTS.max; timeout += 1) {
      const visibility = VISIBILITY_TIMEOUT_FACTOR * timeout;
      for (let receives = RECEIVES.min; receives <= RECEIVES.max; receives += 1) {
        if (jobRetentionProblem(visibility, receives) !== undefined) continue;
        accepted += 1;
        const retention = jobRetentionSeconds(visibility, receives);
        // A job not given back early returns after the whole visibility timeout: receives × visibility, plus one for waiting.
        if (retention < (receives + 1) * visibility)
          throw new Error(`timeout ${timeout}, maxReceiveCount ${receives}: retention ${retention} s is shorter than every receive`);
        if (retention < SQS_RETENTION_SECONDS.min || retention > SQS_RETENTION_SECONDS.max)
          throw new Error(`timeout ${timeout}, maxReceiveCount ${receives}: retention ${retention} s is outside SQS's range`);
        if (DEAD_LETTER_RETENTION_SECONDS - retention < DEAD_LETTER_MIN_STAY_SECONDS)
          throw new Error(`timeout ${timeout}, maxReceiveCount ${receives}: a dead letter would expire within a day`);
      }
    }
    // The defaults and most of the space are accepted; the rule refuses only what no retention can hold.
    expect(accepted).toBeGreaterThan(0.5 * (TIMEOUTS.max - TIMEOUTS.min + 1) * RECEIVES.max);
    expect(jobRetentionProblem(VISIBILITY_TIMEOUT_FACTOR * 300, 3)).toBeUndefined();
  });

  test("the configuration schema accepts exactly the pairs the rule accepts (300 seeded random pairs and the boundary)", () => {
    const random = seeded(18);
    const pick = ({ min, max }: { min: number; max: number }) => min + Math.floor(random() * (max - min + 1));
    const pairs = [...Array.from({ length: 300 }, () => [pick(TIMEOUTS), pick(RECEIVES)]), [900, 207], [900, 208], [900, 1000], [30, 1000]];
    for (const [workerTimeoutSeconds, maxReceiveCount] of pairs) {
      const parsed = ConfigSchema.safeParse({ fanout: { workerTimeoutSeconds, maxReceiveCount } });
      expect([workerTimeoutSeconds, maxReceiveCount, parsed.success]).toEqual([
        workerTimeoutSeconds,
        maxReceiveCount,
        jobRetentionProblem(VISIBILITY_TIMEOUT_FACTOR * workerTimeoutSeconds, maxReceiveCount) === undefined,
      ]);
    }
    expect([jobRetentionProblem(5400, 207), jobRetentionProblem(5400, 208)]).toEqual([undefined, expect.stringContaining("allow at most 207 receives")]);
  });

  test("a pair that no retention can hold is a configuration error naming both fields", () => {
    let problems: readonly string[] = [];
    try {
      loadConfig({ WSCF_FANOUT_WORKER_TIMEOUT_SECONDS: "900", WSCF_FANOUT_MAX_RECEIVE_COUNT: "1000" }, tmpdir());
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = error.problems;
    }
    expect(problems).toEqual([expect.stringMatching(/^fanout\.maxReceiveCount .*with fanout\.workerTimeoutSeconds 900 .*14 days.*allow at most 207 receives/)]);
  });

  test("the synthesized jobs queue keeps jobs for every receive: 2 h by default, 16.5 h for maxReceiveCount 10 with a 900 s worker", () => {
    const retentionOf = (fanout: object) => resourcesOf(synthStack({ fanout }).tf, "aws_sqs_queue").map((q) => [q.name, q.message_retention_seconds]);
    expect(retentionOf({})).toEqual([
      ["wscf-fanout-dlq", SQS_RETENTION_SECONDS.max],
      ["wscf-fanout", 7200],
    ]);
    expect(retentionOf({ workerTimeoutSeconds: 900, maxReceiveCount: 10 })).toEqual([
      ["wscf-fanout-dlq", SQS_RETENTION_SECONDS.max],
      ["wscf-fanout", 11 * 5400],
    ]);
  });
});
