import { lambdaHandler } from "./chat/runtime";
import { sendMessage } from "./chat/sendmessage";

/** `sendmessage` entry point: clients are built once, from the environment, at cold start. */
export const handler = lambdaHandler(sendMessage);
