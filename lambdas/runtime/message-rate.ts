import type { RateDeps } from "../rate/check";
import type { ChatPeers } from "./route-handler";
import { readMessageRate } from "../contract/rate-settings";
import { DynamoMessageRateLimiter } from "../rate/bucket";

/** sendmessage's rate limiter, built once from the environment, on the chat handlers' own DynamoDB client and table. */
export function createMessageRate(env: NodeJS.ProcessEnv, { settings, documents }: ChatPeers): RateDeps {
  const rate = readMessageRate(env);
  return { messageRate: { limiter: new DynamoMessageRateLimiter(documents, settings.tableName, rate), rate } };
}
