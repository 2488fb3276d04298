import { disconnect } from "./chat/disconnect";
import { lambdaHandler } from "./chat/runtime";

/** `$disconnect` entry point: clients are built once, from the environment, at cold start. */
export const handler = lambdaHandler(disconnect);
