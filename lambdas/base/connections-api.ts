import {
  type ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  PostToConnectionCommand,
  type PostToConnectionCommandInput,
  type PostToConnectionCommandOutput,
} from "@aws-sdk/client-apigatewaymanagementapi";
import type { FinalizeRequestMiddleware } from "@smithy/types";

/** How one post is made: cancellable, and told about every throttled attempt. */
export interface PostOptions {
  /** Aborts the request and any retry still to come (they end with an `AbortError`). */
  readonly signal?: AbortSignal;
  /** Called for every attempt answered 429, the ones that are retried included. */
  readonly onThrottled?: () => void;
}

/**
 * The @connections side as the handlers use it (R11), passed in like the store, so the broadcast
 * logic can be tested without a server. A failed post throws; {@link isGone} and
 * {@link isThrottled} classify the error.
 */
export interface ConnectionsApi {
  /** Posts `data` as one text message to `connectionId`. */
  post(connectionId: string, data: string, options?: PostOptions): Promise<void>;
  /**
   * Closes `connectionId` (@connections DELETE; its `$disconnect` then runs as for any close,
   * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-how-to-call-websocket-api-connections.html).
   */
  disconnect(connectionId: string): Promise<void>;
}

/** {@link ConnectionsApi} over the SDK's client: SigV4 for the configured endpoint (R10), the SDK's retries. */
export class SdkConnectionsApi implements ConnectionsApi {
  constructor(private readonly client: ApiGatewayManagementApiClient) {}

  async post(connectionId: string, data: string, { signal, onThrottled }: PostOptions = {}): Promise<void> {
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
    await this.client.send(command, { abortSignal: signal });
  }

  async disconnect(connectionId: string): Promise<void> {
    await this.client.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
  }
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
