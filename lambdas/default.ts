import { defaultRoute } from "./chat/default-route";
import { lambdaHandler } from "./chat/runtime";

/** `$default` entry point: clients are built once, from the environment, at cold start. */
export const handler = lambdaHandler(defaultRoute);
