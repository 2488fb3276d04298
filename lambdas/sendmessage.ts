import { lambdaHandler } from "./chat/runtime";
import { sendMessage } from "./chat/sendmessage";
import { createSplitFanout } from "./fanout/split-runtime";

/** `sendmessage` entry point: clients (and the fan-out queue's, when configured) are built once, from the environment, at cold start. */
export const handler = lambdaHandler(sendMessage, process.env, createSplitFanout);
