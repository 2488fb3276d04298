import { lambdaHandler } from "./chat/runtime";
import { sendMessage } from "./chat/sendmessage";
import { createSplitFanout } from "./fanout/split-runtime";
import { createMessageRate } from "./rate/runtime";

/** `sendmessage` entry point: clients (the fan-out queue's, when configured, and the rate limiter) are built once, from the environment, at cold start. */
export const handler = lambdaHandler(sendMessage, process.env, (env, peers) => ({ ...createSplitFanout(env), ...createMessageRate(env, peers) }));
