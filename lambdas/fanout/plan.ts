import type { FanoutBudget } from "../contract/fanout-settings";
import { MAX_TOTAL_SEGMENTS } from "../delivery/audience";
/**
 * How a broadcast is split: inline below the limit, else into DynamoDB parallel scan segments, each
 * a job that one worker finishes inside its time budget at its share of the rate budget.
 */

/**
 * Share of a worker's time budget a segment is sized to fill. The rest absorbs what the count
 * cannot see: segments are uneven (DynamoDB splits by key hash, not by item count), the table grows
 * during the broadcast, and throttling halves a worker's rate for a while.
 */
export const SEGMENT_FILL = 0.5;

/** The planner's decision for one broadcast. */
export type FanoutPlan =
  | { readonly mode: "inline"; readonly recipients: number }
  | {
      readonly mode: "split";
      readonly recipients: number;
      /** DynamoDB TotalSegments = number of jobs. */
      readonly segments: number;
      /** Posts per second each worker is allowed: its share of the rate budget, at most its capacity. */
      readonly workerRatePerSecond: number;
      /** Recipients one segment is sized for. */
      readonly segmentCapacity: number;
      /** Lower bound of the broadcast's duration: recipients / (workers × workerRatePerSecond). */
      readonly idealSeconds: number;
    };

/**
 * The segment formula:
 *
 *   workerRate      = min(ratePerSecond / workers, workerCapacityPerSecond)
 *   segmentCapacity = floor(workerRate × workerBudgetSeconds × SEGMENT_FILL)
 *   segments        = min(maxSegments, max(workers, ceil(recipients / segmentCapacity)))
 *
 * At least `workers` segments so that every worker gets one; more when one worker could not finish
 * its share in time; at most `maxSegments`, the audience's own bound (DynamoDB's TotalSegments for
 * the table, the number of member buckets for a channel). Since at most `workers` run at once, each at most `workerRate`, the sum of
 * their posts never exceeds `ratePerSecond`.
 */
export function planBroadcast(recipients: number, budget: FanoutBudget, maxSegments = MAX_TOTAL_SEGMENTS): FanoutPlan {
  if (recipients <= budget.inlineLimit) return { mode: "inline", recipients };
  const workerRatePerSecond = workerRate(budget);
  const segmentCapacity = Math.max(1, Math.floor(workerRatePerSecond * budget.workerBudgetSeconds * SEGMENT_FILL));
  const segments = Math.min(maxSegments, Math.max(budget.workers, Math.ceil(recipients / segmentCapacity)));
  const idealSeconds = recipients / (budget.workers * workerRatePerSecond);
  return { mode: "split", recipients, segments, workerRatePerSecond, segmentCapacity, idealSeconds };
}

/** One worker's posts per second: its share of the rate budget, at most what one worker sustains. */
export function workerRate(budget: Pick<FanoutBudget, "ratePerSecond" | "workers" | "workerCapacityPerSecond">): number {
  return Math.min(budget.ratePerSecond / budget.workers, budget.workerCapacityPerSecond);
}
