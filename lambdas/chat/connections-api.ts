import {
  type ApiGatewayManagementApiClient,
  PostToConnectionCommand,
  type PostToConnectionCommandInput,
  type PostToConnectionCommandOutput,
} from "@aws-sdk/client-apigatewaymanagementapi";
import type { FinalizeRequestMiddleware } from "@smithy/types";

/**
 * Posts `data` to one connection through @connections (R11). Throws the SDK's error on failure;
 * when `signal` aborts, the request and any retry still to come end with an `AbortError`.
 * `onThrottled` is called for every attempt answered 429, the ones the SDK retries included.
 */
export async function postToConnection(
  client: ApiGatewayManagementApiClient,
  connectionId: string,
  data: string,
  signal?: AbortSignal,
  onThrottled?: () => void,
): Promise<void> {
  const command = new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from(data, "utf8") });
  if (onThrottled) {
    // Inside the retry middleware, so each attempt passes here, not only the last one.
    const countThrottled: FinalizeRequestMiddleware<PostToConnectionCommandInput, PostToConnectionCommandOutput> = (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (isThrottled(error)) onThrottled();
        throw error;
      }
    };
    command.middlewareStack.addRelativeTo(countThrottled, { relation: "after", toMiddleware: "retryMiddleware", name: "countThrottledAttempts" });
  }
  await client.send(command, { abortSignal: signal });
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
