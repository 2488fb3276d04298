import type { FanoutBudget } from "../lambdas/contract/fanout-settings";
import { MAX_TOTAL_SEGMENTS } from "../lambdas/delivery/audience";
import { planBroadcast, SEGMENT_FILL } from "../lambdas/fanout/plan";

const BUDGET: FanoutBudget = { inlineLimit: 2000, ratePerSecond: 2000, workers: 4, workerBudgetSeconds: 280, workerCapacityPerSecond: 1000 };

describe("planBroadcast (the segment formula)", () => {
  test("a broadcast up to the inline limit stays inline", () => {
    expect(planBroadcast(2000, BUDGET)).toEqual({ mode: "inline", recipients: 2000 });
    expect(planBroadcast(0, BUDGET).mode).toBe("inline");
  });

  test("above the limit every worker gets a segment, even when one could do it all", () => {
    const plan = planBroadcast(2001, BUDGET);
    expect(plan).toMatchObject({ mode: "split", segments: 4, workerRatePerSecond: 500 });
  });

  test("segments grow with recipients so that each fits in SEGMENT_FILL of a worker's budget", () => {
    const plan = planBroadcast(1_000_000, BUDGET);
    if (plan.mode !== "split") throw new Error("expected a split");
    // 500 posts/s × 280 s × 0.5 = 70,000 recipients per segment.
    expect(plan.segmentCapacity).toBe(500 * 280 * SEGMENT_FILL);
    expect(plan.segments).toBe(Math.ceil(1_000_000 / 70_000));
    expect(plan.segments * plan.segmentCapacity).toBeGreaterThanOrEqual(1_000_000);
    expect(plan.idealSeconds).toBe(500);
  });

  test("the workers' rates never add up to more than the rate budget", () => {
    for (const workers of [1, 2, 3, 7, 8, 1000]) {
      const plan = planBroadcast(100_000, { ...BUDGET, workers, workerCapacityPerSecond: Infinity });
      if (plan.mode !== "split") throw new Error("expected a split");
      expect(plan.workerRatePerSecond * workers).toBeLessThanOrEqual(BUDGET.ratePerSecond + 1e-9);
    }
  });

  test("a worker is never given more than it can post alone", () => {
    const plan = planBroadcast(100_000, { ...BUDGET, ratePerSecond: 100_000 });
    expect(plan).toMatchObject({ mode: "split", workerRatePerSecond: 1000 });
  });

  test("TotalSegments stays within DynamoDB's maximum of 1,000,000", () => {
    const plan = planBroadcast(1e12, { ...BUDGET, ratePerSecond: 4, workerBudgetSeconds: 1 });
    expect(plan).toMatchObject({ mode: "split", segments: MAX_TOTAL_SEGMENTS });
  });
});
