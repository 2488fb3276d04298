import { createDocumentClient } from "../chat/clients";
import type { ChatDeps } from "../chat/deps";
import { readSettings } from "../contract/settings";
import { DynamoMessageRateLimiter } from "./bucket";
import { readMessageRate } from "../contract/rate-settings";

/** sendmessage's rate limiter, built once from the environment (the connections table, the configured rate). */
export function createMessageRate(env: NodeJS.ProcessEnv): Pick<ChatDeps, "messageRate"> {
  const rate = readMessageRate(env);
  return { messageRate: { limiter: new DynamoMessageRateLimiter(createDocumentClient(), readSettings(env).tableName, rate), rate } };
}
