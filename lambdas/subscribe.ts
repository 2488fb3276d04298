import { subscribe } from "./channels/membership";
import { lambdaHandler } from "./chat/runtime";
import { createMessageRate } from "./rate/runtime";

/** `subscribe` entry point: clients (and the rate limiter) built once, from the environment, at cold start. */
export const handler = lambdaHandler(subscribe, process.env, (env, peers) => createMessageRate(env, peers));
