import { connect } from "./routes/connect";
import { lambdaHandler } from "./runtime/route-handler";

/** `$connect` entry point: clients are built once, from the environment, at cold start. */
export const handler = lambdaHandler(connect);
