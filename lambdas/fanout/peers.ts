import type { FanoutBudget } from "../contract/fanout-settings";
import type { JobQueue } from "./queue";

/** The split path's peers: where jobs go, and the budget the planner sizes them by. */
export interface SplitFanout {
  readonly queue: JobQueue;
  readonly budget: FanoutBudget;
}

/** What the split path adds to a handler's deps. */
export interface SplitDeps {
  /** The split path: broadcasts above the inline limit go to the fan-out queue. @default - every broadcast inline */
  readonly fanout?: SplitFanout;
}
