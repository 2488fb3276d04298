import { workerHandler } from "./runtime/fanout-worker";

/** The fan-out worker's entry point (SQS event source): clients are built once, from the environment, at cold start. */
export const handler = workerHandler();
