import { disconnect } from "./routes/disconnect";
import { lambdaHandler } from "./runtime/route-handler";

/** `$disconnect` entry point: clients are built once, from the environment, at cold start. */
export const handler = lambdaHandler(disconnect);
