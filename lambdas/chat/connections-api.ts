import { type ApiGatewayManagementApiClient, PostToConnectionCommand } from "@aws-sdk/client-apigatewaymanagementapi";

/**
 * Posts `data` to one connection through @connections (R11). Throws the SDK's error on failure;
 * when `signal` aborts, the request and any retry still to come end with an `AbortError`.
 */
export async function postToConnection(client: ApiGatewayManagementApiClient, connectionId: string, data: string, signal?: AbortSignal): Promise<void> {
  await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from(data, "utf8") }), { abortSignal: signal });
}

/**
 * True when @connections says the connection no longer exists (410 GoneException).
 * SDK v3 errors carry `name` and `$metadata.httpStatusCode`; the v2-era `statusCode` is never set.
 */
export function isGone(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { name, $metadata } = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
  return name === "GoneException" || $metadata?.httpStatusCode === 410;
}

/**
 * True when @connections throttled the call: 429 LimitExceededException, API Gateway's answer
 * past the account's rate (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-protect.html).
 */
export function isThrottled(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { name, $metadata } = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
  return name === "LimitExceededException" || name === "TooManyRequestsException" || $metadata?.httpStatusCode === 429;
}

/** A short, content-free name for an error, for log lines and failure counts. */
export function errorName(error: unknown): string {
  if (error instanceof Error) return error.name;
  return typeof error;
}
