import { unsubscribe } from "./channels/membership";
import { lambdaHandler } from "./chat/runtime";
import { createMessageRate } from "./rate/runtime";

/** `unsubscribe` entry point: clients (and the rate limiter) built once, from the environment, at cold start. */
export const handler = lambdaHandler(unsubscribe, process.env, (env, peers) => createMessageRate(env, peers));
