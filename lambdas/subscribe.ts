import { subscribe } from "./routes/membership";
import { lambdaHandler } from "./runtime/route-handler";
import { createMessageRate } from "./runtime/message-rate";

/** `subscribe` entry point: clients (and the rate limiter) built once, from the environment, at cold start. */
export const handler = lambdaHandler(subscribe, process.env, (env, peers) => createMessageRate(env, peers));
