import type { Clock } from "../../lambdas/base/clock";
import { listenable } from "../../lambdas/base/clock";

/**
 * A {@link Clock} that moves only when told: deadlines then come when a test advances it, never
 * because the machine was slow. Its signals abort when {@link advance} passes their instant.
 */
export class ManualClock implements Clock {
  private pending: Array<{ instant: number; controller: AbortController }> = [];

  constructor(private time = Date.now()) {}

  now(): number {
    return this.time;
  }

  signalAt(instant: number): AbortSignal {
    const controller = new AbortController();
    if (instant <= this.time) controller.abort();
    else this.pending.push({ instant, controller });
    return listenable(controller.signal);
  }

  /** Moves the clock forward by `ms` and aborts every signal whose instant has come. */
  advance(ms: number): void {
    this.time += ms;
    const due = this.pending.filter((p) => p.instant <= this.time);
    this.pending = this.pending.filter((p) => p.instant > this.time);
    for (const { controller } of due) controller.abort();
  }
}
