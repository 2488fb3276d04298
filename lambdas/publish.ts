import { publishInvocation } from "./routes/server-publish";
import { lambdaHandler } from "./runtime/route-handler";
import { createSplitFanout } from "./runtime/split-fanout";
import { createMessageRate } from "./runtime/message-rate";

/**
 * `publish` entry point: the route's events and a backend's Invoke payloads (routes/server-publish.ts);
 * clients (the fan-out queue's, when configured, and the rate limiter) built once, from the environment, at cold start.
 */
export const handler = lambdaHandler(publishInvocation, process.env, (env, peers) => ({ ...createSplitFanout(env), ...createMessageRate(env, peers) }));
