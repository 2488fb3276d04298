import { defaultRoute } from "./routes/default-route";
import { lambdaHandler } from "./runtime/route-handler";
import { createMessageRate } from "./runtime/message-rate";

/** `$default` entry point: clients (the rate limiter's included) are built once, from the environment, at cold start. */
export const handler = lambdaHandler(defaultRoute, process.env, createMessageRate);
