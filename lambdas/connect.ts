import { connect } from "./chat/connect";
import { lambdaHandler } from "./chat/runtime";

/** `$connect` entry point: clients are built once, from the environment, at cold start. */
export const handler = lambdaHandler(connect);
