/**
 * API Gateway WebSocket quotas that the handlers, the stack, the local gateway and the tests' fake
 * @connections all depend on, in one place
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html).
 */
export const API_GATEWAY_LIMITS = {
  /** Message payload size: 128 KB. A bigger message closes the socket with 1009. */
  maxMessageBytes: 128 * 1024,
  /** Idle connection timeout: 10 minutes without a message from the client. */
  idleTimeoutMs: 10 * 60 * 1000,
  /** Connection duration: 2 hours. */
  maxConnectionMs: 2 * 60 * 60 * 1000,
  /**
   * Integration timeout: "50 milliseconds - 29 seconds for all integration types", not raised on
   * request: the longest API Gateway waits for a route's function.
   */
  integrationTimeoutMs: 29_000,
} as const;
