import { SQSClient } from "@aws-sdk/client-sqs";
import { SqsJobQueue } from "../fanout/queue";
import { fanoutBudget, readFanoutSettings } from "../contract/fanout-settings";
import type { SplitFanout } from "../fanout/peers";

/**
 * sendmessage's split path from `env`: the SQS client (endpoint from AWS_ENDPOINT_URL_SQS when set,
 * as the SDK reads it) and the planner's budget; none when FANOUT_QUEUE_URL is unset.
 */
export function createSplitFanout(env: NodeJS.ProcessEnv): { fanout?: SplitFanout } {
  const settings = readFanoutSettings(env);
  if (settings.queueUrl === undefined) return {};
  const client = new SQSClient({ retryMode: "standard", maxAttempts: 3 });
  return { fanout: { queue: new SqsJobQueue(client, settings.queueUrl), budget: fanoutBudget(settings) } };
}
