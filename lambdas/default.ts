import { defaultRoute } from "./chat/default-route";
import { lambdaHandler } from "./chat/runtime";
import { createMessageRate } from "./rate/runtime";

/** `$default` entry point: clients (the rate limiter's included) are built once, from the environment, at cold start. */
export const handler = lambdaHandler(defaultRoute, process.env, createMessageRate);
