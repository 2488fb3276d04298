import { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/** Timeouts and retry bounds of one AWS client. */
export interface ClientTuning {
  /** Attempts per call, first one included (the SDK's standard retry strategy, with jittered backoff). @default 3 */
  readonly maxAttempts?: number;
  /** Milliseconds to open a TCP/TLS connection. @default 1000 */
  readonly connectionTimeoutMs?: number;
  /** Milliseconds for one request and its response (one attempt). @default DEFAULT_REQUEST_TIMEOUT_MS */
  readonly requestTimeoutMs?: number;
  /** Sockets per host. @default 50 (the SDK's own default) */
  readonly maxSockets?: number;
}

/** Milliseconds one attempt of a request may take, connection included, when a tuning sets none. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 3000;

/**
 * Tuning of the @connections client. Throttling (429 LimitExceededException) is retried by the
 * SDK's standard strategy with a 500 ms jittered exponential backoff; 4 attempts wait at most
 * ~3.5 s, and a broadcast aborts whatever is left at its deadline (deadline.ts). The strategy's
 * retry quota (500 tokens, 5 per retry) also caps retries per warm client, so a throttled
 * broadcast cannot turn into a storm.
 */
export const MANAGEMENT_TUNING: ClientTuning = { maxAttempts: 4, connectionTimeoutMs: 1000, requestTimeoutMs: 3000 };
/** Tuning of the DynamoDB client: a dead table answers 500 within seconds, never at the Lambda timeout. */
export const DYNAMODB_TUNING: ClientTuning = { maxAttempts: 3, connectionTimeoutMs: 1000, requestTimeoutMs: 3000 };

/** Where a client goes and as whom, when not from the environment (tests, benchmarks). */
export type PeerOverrides = Pick<DynamoDBClientConfig, "endpoint" | "region" | "credentials">;

/**
 * The DynamoDB document client. Region, credentials and endpoint come from the environment as the
 * SDK reads them (AWS_REGION, AWS_ACCESS_KEY_ID…, and AWS_ENDPOINT_URL_DYNAMODB for a local server).
 */
export function createDocumentClient(tuning: ClientTuning = DYNAMODB_TUNING, peer: PeerOverrides = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ retryMode: "standard", ...clientConfig(tuning), ...peer }));
}

/**
 * The @connections client at exactly `endpoint` (R10: `https://<domain>/<mapping key>`, never
 * requestContext.domainName + stage). The SDK signs each request with SigV4 for that host and path.
 */
export function createManagementClient(
  endpoint: string,
  tuning: ClientTuning = MANAGEMENT_TUNING,
  peer: Omit<PeerOverrides, "endpoint"> = {},
): ApiGatewayManagementApiClient {
  return new ApiGatewayManagementApiClient({ retryMode: "standard", ...clientConfig(tuning), ...peer, endpoint });
}

/** An SDK v3 client's retry bound and request handler (timeouts that throw, keep-alive sockets) for `tuning`. */
export function clientConfig(tuning: ClientTuning) {
  const requestTimeout = tuning.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const agent = { keepAlive: true, maxSockets: tuning.maxSockets ?? 50 };
  return {
    maxAttempts: tuning.maxAttempts ?? 3,
    requestHandler: {
      connectionTimeout: tuning.connectionTimeoutMs ?? 1000,
      requestTimeout,
      // Newer handlers only warn on requestTimeout unless told to throw; older ones throw on socket idle.
      throwOnRequestTimeout: true,
      socketTimeout: requestTimeout,
      httpAgent: agent,
      httpsAgent: agent,
    },
  };
}
