import { AdaptiveRate } from "../lambdas/fanout/rate";

/** A manual clock: sleep() advances it, so the tests run in no time and measure exactly. */
function fakeTime() {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** Posts `count` times in sequence and returns when each was allowed to start. */
async function starts(rate: AdaptiveRate, time: ReturnType<typeof fakeTime>, count: number): Promise<number[]> {
  const at: number[] = [];
  for (let i = 0; i < count; i += 1) {
    await rate.acquire();
    at.push(time.now());
  }
  return at;
}

describe("AdaptiveRate", () => {
  test("spaces posts at the rate: 100 posts at 50/s take 2 s", async () => {
    const time = fakeTime();
    const rate = new AdaptiveRate({ maxPerSecond: 50, ...time });
    const at = await starts(rate, time, 101);
    expect(at[100] - at[0]).toBeCloseTo(2000, 6);
  });

  test("concurrent callers are spaced too (slots are reserved synchronously)", async () => {
    const time = fakeTime();
    const waits: number[] = [];
    const sleeping = new AdaptiveRate({ maxPerSecond: 10, now: time.now, sleep: async (ms) => void waits.push(ms) });
    await Promise.all(Array.from({ length: 5 }, () => sleeping.acquire()));
    expect(waits).toEqual([100, 200, 300, 400]);
  });

  test("a burst lets that many posts start at once, then the spacing applies", async () => {
    const time = fakeTime();
    const rate = new AdaptiveRate({ maxPerSecond: 10, burst: 5, ...time });
    const at = await starts(rate, time, 6);
    expect(at.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(at[5]).toBeCloseTo(100, 6);
  });

  test("a 429 halves the rate, once per cooldown however many posts were throttled", () => {
    const time = fakeTime();
    const rate = new AdaptiveRate({ maxPerSecond: 800, cutCooldownMs: 1000, ...time });
    for (let i = 0; i < 50; i += 1) rate.throttled();
    expect(rate.perSecond).toBe(400);
    time.advance(1000);
    rate.throttled();
    expect(rate.perSecond).toBe(200);
  });

  test("the rate never shrinks below its floor", () => {
    const time = fakeTime();
    const rate = new AdaptiveRate({ maxPerSecond: 64, minPerSecond: 8, cutCooldownMs: 0, ...time });
    for (let i = 0; i < 20; i += 1) rate.throttled();
    expect(rate.perSecond).toBe(8);
  });

  test("after the cooldown the rate grows back to its ceiling and no further", () => {
    const time = fakeTime();
    const rate = new AdaptiveRate({ maxPerSecond: 1000, recoveryPerSecond: 100, cutCooldownMs: 1000, ...time });
    rate.throttled();
    expect(rate.perSecond).toBe(500);
    time.advance(500);
    expect(rate.perSecond).toBe(500);
    time.advance(1500);
    // Growth counts from the cooldown's end (t = 1000 ms): one second at 100/s.
    expect(rate.perSecond).toBeCloseTo(600, 6);
    time.advance(60_000);
    expect(rate.perSecond).toBe(1000);
  });
});
