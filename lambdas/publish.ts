import { publishInvocation } from "./channels/server-publish";
import { lambdaHandler } from "./chat/runtime";
import { createSplitFanout } from "./fanout/split-runtime";
import { createMessageRate } from "./rate/runtime";

/**
 * `publish` entry point: the route's events and a backend's Invoke payloads (channels/server-publish.ts);
 * clients (the fan-out queue's, when configured, and the rate limiter) built once, from the environment, at cold start.
 */
export const handler = lambdaHandler(publishInvocation, process.env, (env, peers) => ({ ...createSplitFanout(env), ...createMessageRate(env, peers) }));
