import { publishRoute } from "./channels/publish";
import { lambdaHandler } from "./chat/runtime";
import { createSplitFanout } from "./fanout/split-runtime";
import { createMessageRate } from "./rate/runtime";

/** `publish` entry point: clients (the fan-out queue's, when configured, and the rate limiter) built once, from the environment, at cold start. */
export const handler = lambdaHandler(publishRoute, process.env, (env, peers) => ({ ...createSplitFanout(env), ...createMessageRate(env, peers) }));
