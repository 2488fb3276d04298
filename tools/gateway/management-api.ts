import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ConnectionIdentity } from "./api-gateway-event";
import { verifySigV4, type SigningScope } from "./sigv4-verify";

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

function reply(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const payload = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(payload),
    "x-amzn-requestid": randomUUID(),
    ...(errorType ? { "x-amzn-errortype": errorType } : {}),
  });
  res.end(payload);
}

/** Reads the request body, or returns undefined once it exceeds `limit` bytes. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** What the @connections API needs besides the request. */
export interface ManagementContext {
  readonly lookup: ConnectionLookup;
  readonly maxMessageBytes: number;
  /** The one key pair and region requests must be signed for. */
  readonly signing: SigningScope;
}

/**
 * One request to `…/@connections/{connectionId}`, answered as API Gateway does: a valid SigV4
 * signature for `execute-api` required (403 with API Gateway's reason otherwise), 410
 * GoneException for unknown ids, POST queues the body as one text message and answers at once
 * (413 above `maxMessageBytes`, 429 when the client has left too much unread), GET returns the
 * status JSON, DELETE closes the socket with 1000 and answers 204.
 */
export async function handleManagementRequest(req: IncomingMessage, res: ServerResponse, connectionId: string, context: ManagementContext): Promise<void> {
  const { maxMessageBytes } = context;
  const body = await readBody(req, maxMessageBytes);
  if (body === undefined) {
    reply(res, 413, { message: `Message too long: the limit is ${maxMessageBytes} bytes` }, "PayloadTooLargeException");
    req.resume();
    return;
  }
  const rejection = await verifySigV4({ method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, body }, context.signing);
  if (rejection) {
    reply(res, 403, { message: rejection.message }, rejection.errorType);
    return;
  }
  if (req.method !== "POST" && req.method !== "GET" && req.method !== "DELETE") {
    // API Gateway answers unknown method/path pairs like a missing route.
    reply(res, 403, { message: "Missing Authentication Token" }, "MissingAuthenticationTokenException");
    return;
  }
  const connection = context.lookup(connectionId);
  if (connection === undefined || !connection.isOpen()) {
    reply(res, 410, { message: "Gone" }, "GoneException");
    return;
  }
  switch (req.method) {
    case "GET": {
      const { identity } = connection;
      reply(res, 200, {
        connectedAt: new Date(identity.connectedAt).toISOString(),
        identity: { sourceIp: identity.sourceIp, userAgent: identity.userAgent },
        lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
      });
      return;
    }
    case "POST": {
      const outcome = connection.send(body.toString("utf8"));
      if (outcome === "queued") reply(res, 200, undefined);
      else if (outcome === "gone") reply(res, 410, { message: "Gone" }, "GoneException");
      // 429 LimitExceededException: "the WebSocket client side buffer is full" (the SDK's own
      // documentation of the error, from the service model; the body's wording is not documented).
      else reply(res, 429, { message: "Limit Exceeded" }, "LimitExceededException");
      return;
    }
    case "DELETE":
      connection.disconnect();
      res.writeHead(204, { "x-amzn-requestid": randomUUID() }).end();
      return;
  }
}
