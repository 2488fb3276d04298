import { EnvNumbers } from "../lambdas/contract/env-numbers";
import { FANOUT_LIMITS, readFanoutSettings } from "../lambdas/contract/fanout-settings";
import { MESSAGE_RATE_DEFAULTS, readMessageRate } from "../lambdas/contract/rate-settings";

describe("numbers from a function's environment", () => {
  test("unset or blank gives the default; a value in range is taken", () => {
    const numbers = new EnvNumbers({ A: "  ", B: "7", C: "0.5" });
    expect([numbers.integer("A", 3, 1, 10), numbers.integer("B", 3, 1, 10), numbers.above("C", 1, 0, 2), numbers.integer("UNSET", 4, 1, 10)]).toEqual([
      3, 7, 0.5, 4,
    ]);
    expect(numbers.problems).toEqual([]);
  });

  test("a bad value never becomes NaN: the default stands in and every bad variable is named", () => {
    const numbers = new EnvNumbers({ A: "lots", B: "2.5", C: "0", D: "11" });
    expect([numbers.integer("A", 3, 1, 10), numbers.integer("B", 3, 1, 10), numbers.above("C", 1, 0, 2), numbers.integer("D", 3, 1, 10)]).toEqual([3, 3, 1, 3]);
    expect(numbers.problems).toEqual([
      'A is "lots": expected an integer from 1 to 10',
      'B is "2.5": expected an integer from 1 to 10',
      'C is "0": expected a number above 0, at most 2',
      'D is "11": expected an integer from 1 to 10',
    ]);
  });

  test("the handlers refuse what the configuration refuses: a worker timeout below its reserve or above Lambda's 900 s", () => {
    expect(() => readFanoutSettings({ FANOUT_WORKER_TIMEOUT_SECONDS: String(FANOUT_LIMITS.workerTimeoutSeconds.min - 1) })).toThrow(
      /FANOUT_WORKER_TIMEOUT_SECONDS is "29": expected an integer from 30 to 900/,
    );
    expect(() => readFanoutSettings({ FANOUT_WORKER_TIMEOUT_SECONDS: "901", FANOUT_MAX_RECEIVE_COUNT: "1001" })).toThrow(/901[\s\S]*1001/);
    expect(readFanoutSettings({}).workerTimeoutSeconds).toBe(300);
  });

  test("the message rate reads through the same rules", () => {
    expect(readMessageRate({})).toEqual(MESSAGE_RATE_DEFAULTS);
    expect(() => readMessageRate({ MESSAGE_RATE_BURST: "0" })).toThrow(/MESSAGE_RATE_BURST is "0": expected an integer from 1 to 10000/);
  });
});
