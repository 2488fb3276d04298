import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ConnectionIdentity } from "./api-gateway-event";
import { verifySigV4, type SigningScope } from "./sigv4-verify";
import { readBody } from "./read-body";

/** What became of a POST's message: queued for the client, refused (its buffer is full), or the socket is gone. */
export type SendOutcome = "queued" | "full" | "gone";

/** A live socket as the @connections API sees it. */
export interface ManagedConnection {
  readonly identity: ConnectionIdentity;
  /** Epoch milliseconds of the client's last message. */
  readonly lastActiveAt: number;
  /** False once the socket is closing or closed: API Gateway then answers 410. */
  isOpen(): boolean;
  /** Queues one text message for the client, without waiting for the client to read it. */
  send(data: string): SendOutcome;
  /** Closes with 1000 (Normal Closure), as DELETE does on AWS. */
  disconnect(): void;
}

export type ConnectionLookup = (connectionId: string) => ManagedConnection | undefined;

/** API Gateway's answer to one @connections request, before it is written. */
export interface ManagementAnswer {
  readonly status: number;
  /** The JSON body; none for 204. */
  readonly body?: unknown;
  /** `x-amzn-errortype`, on errors. */
  readonly errorType?: string;
  /** More headers (the Lambda Invoke API's `x-amz-executed-version`, `x-amz-function-error`). @default none */
  readonly headers?: Readonly<Record<string, string>>;
}

/** An error answer: `{ "message": … }` with API Gateway's `x-amzn-errortype`. */
export function errorAnswer(status: number, errorType: string, message: string): ManagementAnswer {
  return { status, body: { message }, errorType };
}

/** API Gateway answers a method or path it has no route for like a request without a signature. */
export const MISSING_ROUTE = errorAnswer(403, "MissingAuthenticationTokenException", "Missing Authentication Token");

/** Writes an answer with the headers API Gateway sends (a request id on every answer). */
export function writeManagementAnswer(res: ServerResponse, answer: ManagementAnswer): void {
  if (answer.status === 204) {
    res.writeHead(204, { "x-amzn-requestid": randomUUID() }).end();
    return;
  }
  const payload = answer.body === undefined ? "" : JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(payload),
    "x-amzn-requestid": randomUUID(),
    ...(answer.errorType ? { "x-amzn-errortype": answer.errorType } : {}),
    ...answer.headers,
  });
  res.end(payload);
}

/** What the @connections API needs besides the request. */
export interface ManagementContext {
  readonly lookup: ConnectionLookup;
  readonly maxMessageBytes: number;
  /** The one key pair and region requests must be signed for. */
  readonly signing: SigningScope;
  /**
   * Called for each request that passed SigV4 verification, before it is served: an answer it
   * returns is sent instead (the tests' fake injects its quota and faults here).
   * @default every authentic request is served
   */
  readonly admit?: (connectionId: string) => ManagementAnswer | undefined;
}

const GONE = errorAnswer(410, "GoneException", "Gone");

/**
 * API Gateway's answer to one request to `…/@connections/{connectionId}`: a valid SigV4
 * signature for `execute-api` required (403 with API Gateway's reason otherwise), 410
 * GoneException for unknown ids, POST queues the body as one text message and answers at once
 * (413 above `maxMessageBytes`, 429 when the client has left too much unread), GET returns the
 * status JSON, DELETE closes the socket with 1000 and answers 204.
 */
export async function answerManagementRequest(req: IncomingMessage, connectionId: string, context: ManagementContext): Promise<ManagementAnswer> {
  const { maxMessageBytes } = context;
  const body = await readBody(req, maxMessageBytes);
  if (body === undefined) return errorAnswer(413, "PayloadTooLargeException", `Message too long: the limit is ${maxMessageBytes} bytes`);
  const rejection = await verifySigV4({ method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, body }, context.signing);
  if (rejection) return errorAnswer(403, rejection.errorType, rejection.message);
  const refusal = context.admit?.(connectionId);
  if (refusal) return refusal;
  if (req.method !== "POST" && req.method !== "GET" && req.method !== "DELETE") return MISSING_ROUTE;
  const connection = context.lookup(connectionId);
  if (connection === undefined || !connection.isOpen()) return GONE;
  switch (req.method) {
    case "GET": {
      const { identity } = connection;
      return {
        status: 200,
        body: {
          connectedAt: new Date(identity.connectedAt).toISOString(),
          identity: { sourceIp: identity.sourceIp, userAgent: identity.userAgent },
          lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
        },
      };
    }
    case "POST": {
      const outcome = connection.send(body.toString("utf8"));
      if (outcome === "queued") return { status: 200 };
      if (outcome === "gone") return GONE;
      // 429 LimitExceededException: "the WebSocket client side buffer is full" (the SDK's own
      // documentation of the error, from the service model; the body's wording is not documented).
      return errorAnswer(429, "LimitExceededException", "Limit Exceeded");
    }
    case "DELETE":
      connection.disconnect();
      return { status: 204 };
  }
}

/** Answers one request to `…/@connections/{connectionId}` (see answerManagementRequest). */
export async function handleManagementRequest(req: IncomingMessage, res: ServerResponse, connectionId: string, context: ManagementContext): Promise<void> {
  writeManagementAnswer(res, await answerManagementRequest(req, connectionId, context));
  // Drains what a too-long body left unread.
  req.resume();
}
