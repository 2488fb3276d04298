import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { APIGatewayProxyWebsocketEventV2, Context } from "aws-lambda";

/** What API Gateway knows about one connection, fixed at `$connect`. */
export interface ConnectionIdentity {
  readonly connectionId: string;
  /** Epoch milliseconds. */
  readonly connectedAt: number;
  readonly sourceIp: string;
  readonly userAgent: string;
  /** What the `$connect` authorizer returned as context: API Gateway passes it to every route of the connection. */
  readonly authorizer?: Readonly<Record<string, string>>;
}

/** Where the events claim to come from: the public host and the stage behind the mapping. */
export interface ApiDescription {
  readonly apiId: string;
  readonly domainName: string;
  readonly stage: string;
}

/**
 * The WebSocket event as API Gateway sends it to a Lambda proxy integration. The published type
 * lacks `identity` (and headers on `$connect`), which API Gateway does send.
 */
export type WebSocketEvent = APIGatewayProxyWebsocketEventV2 & {
  requestContext: APIGatewayProxyWebsocketEventV2["requestContext"] & {
    identity: { sourceIp: string; userAgent: string };
    disconnectStatusCode?: number;
    disconnectReason?: string;
  };
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  queryStringParameters?: Record<string, string>;
};

/** A connection id shaped like API Gateway's: 12 base64 characters such as `L0SM9cOFvHcCIhw=`. */
export function newConnectionId(): string {
  return randomBytes(8).toString("base64");
}

/** API Gateway's per-request ids are base64 too, `extendedRequestId` looks the same. */
function newRequestId(): string {
  return randomBytes(12).toString("base64").replace(/=+$/, "=");
}

function requestTime(epochMs: number): string {
  // API Gateway's CLF-style time: 25/Nov/2026:03:12:45 +0000
  const d = new Date(epochMs);
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

export interface EventInput {
  readonly api: ApiDescription;
  readonly connection: ConnectionIdentity;
  readonly routeKey: string;
  readonly eventType: "CONNECT" | "MESSAGE" | "DISCONNECT";
  readonly body?: { readonly text: string; readonly isBase64Encoded: boolean };
  /** `$connect` only: the upgrade request's headers and query string. */
  readonly request?: { readonly headers: IncomingHttpHeaders; readonly query: URLSearchParams };
  /** `$disconnect` only. */
  readonly disconnect?: { readonly statusCode: number; readonly reason: string };
}

/** Builds the event API Gateway would send for one route invocation. */
export function buildEvent(input: EventInput): WebSocketEvent {
  const now = Date.now();
  const requestId = newRequestId();
  const { connection, api } = input;
  const event: WebSocketEvent = {
    requestContext: {
      routeKey: input.routeKey,
      eventType: input.eventType,
      extendedRequestId: requestId,
      requestTime: requestTime(now),
      messageDirection: "IN",
      stage: api.stage,
      connectedAt: connection.connectedAt,
      requestTimeEpoch: now,
      identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent },
      ...(connection.authorizer ? { authorizer: { ...connection.authorizer } } : {}),
      requestId,
      domainName: api.domainName,
      connectionId: connection.connectionId,
      apiId: api.apiId,
      ...(input.eventType === "MESSAGE" ? { messageId: newRequestId() } : {}),
      ...(input.disconnect ? { disconnectStatusCode: input.disconnect.statusCode, disconnectReason: input.disconnect.reason } : {}),
      // The published type marks messageId required; API Gateway sends it on MESSAGE events only.
    } as WebSocketEvent["requestContext"],
    isBase64Encoded: input.body?.isBase64Encoded ?? false,
    ...(input.body ? { body: input.body.text } : {}),
  };
  if (input.request) {
    const headers: Record<string, string> = {};
    const multiValueHeaders: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(input.request.headers)) {
      if (value === undefined) continue;
      const values = Array.isArray(value) ? value : [value];
      headers[name] = values.join(",");
      multiValueHeaders[name] = values;
    }
    event.headers = headers;
    event.multiValueHeaders = multiValueHeaders;
    if ([...input.request.query.keys()].length > 0) {
      event.queryStringParameters = Object.fromEntries(input.request.query);
    }
  }
  return event;
}

/** A Lambda context for an in-process invocation; `timeoutMs` is the function's configured timeout. */
export function buildContext(functionName: string, region: string, timeoutMs: number): Context {
  const started = Date.now();
  const fail = () => {
    throw new Error("callback-style completion is not supported by the local gateway: return a promise");
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    memoryLimitInMB: "256",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
    done: fail,
    fail,
    succeed: fail,
  };
}
