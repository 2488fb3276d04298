import type { ChatDeps } from "../chat/deps";
import type { ChatPeers } from "../chat/runtime";
import { readMessageRate } from "../contract/rate-settings";
import { DynamoMessageRateLimiter } from "./bucket";

/** sendmessage's rate limiter, built once from the environment, on the chat handlers' own DynamoDB client and table. */
export function createMessageRate(env: NodeJS.ProcessEnv, { settings, documents }: ChatPeers): Pick<ChatDeps, "messageRate"> {
  const rate = readMessageRate(env);
  return { messageRate: { limiter: new DynamoMessageRateLimiter(documents, settings.tableName, rate), rate } };
}
