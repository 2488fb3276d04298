import { lambdaHandler } from "./runtime/route-handler";
import { sendMessage } from "./routes/sendmessage";
import { createSplitFanout } from "./runtime/split-fanout";
import { createMessageRate } from "./runtime/message-rate";

/** `sendmessage` entry point: clients (the fan-out queue's, when configured, and the rate limiter) are built once, from the environment, at cold start. */
export const handler = lambdaHandler(sendMessage, process.env, (env, peers) => ({ ...createSplitFanout(env), ...createMessageRate(env, peers) }));
