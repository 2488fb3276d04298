import type { FanoutBudget } from "../contract/fanout-settings";
import type { JobQueue } from "./queue";

/** The split path's peers: where jobs go, and the budget the planner sizes them by. */
export interface SplitFanout {
  readonly queue: JobQueue;
  readonly budget: FanoutBudget;
}
