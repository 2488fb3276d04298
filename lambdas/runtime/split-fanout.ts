import { createQueueClient, QUEUE_TUNING, SqsJobQueue } from "../fanout/queue";
import { fanoutBudget, readFanoutSettings } from "../contract/fanout-settings";
import type { SplitFanout } from "../fanout/peers";

/**
 * sendmessage's split path from `env`: the SQS client and the planner's budget; none when FANOUT_QUEUE_URL is unset.
 */
export function createSplitFanout(env: NodeJS.ProcessEnv): { fanout?: SplitFanout } {
  const settings = readFanoutSettings(env);
  if (settings.queueUrl === undefined) return {};
  return { fanout: { queue: new SqsJobQueue(createQueueClient(QUEUE_TUNING), settings.queueUrl), budget: fanoutBudget(settings) } };
}
