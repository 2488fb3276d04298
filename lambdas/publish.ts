import { publishRoute } from "./routes/publish";
import { lambdaHandler } from "./runtime/route-handler";
import { createSplitFanout } from "./runtime/split-fanout";
import { createMessageRate } from "./runtime/message-rate";

/** `publish` entry point: clients (the fan-out queue's, when configured, and the rate limiter) built once, from the environment, at cold start. */
export const handler = lambdaHandler(publishRoute, process.env, (env, peers) => ({ ...createSplitFanout(env), ...createMessageRate(env, peers) }));
