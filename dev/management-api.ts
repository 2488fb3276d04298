import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ConnectionIdentity } from "./api-gateway-event";
import { checkSigV4Shape } from "./sigv4-shape";

/** A live socket as the @connections API sees it. */
export interface ManagedConnection {
  readonly identity: ConnectionIdentity;
  /** Epoch milliseconds of the client's last message. */
  readonly lastActiveAt: number;
  /** False once the socket is closing or closed: API Gateway then answers 410. */
  isOpen(): boolean;
  /** Sends one text message; rejects when the socket went away meanwhile. */
  send(data: string): Promise<void>;
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

/**
 * One request to `…/@connections/{connectionId}`, answered as API Gateway does:
 * SigV4-shaped Authorization required (403 otherwise), 410 GoneException for unknown ids,
 * POST sends the body as one text message (413 above `maxMessageBytes`), GET returns the status
 * JSON, DELETE closes the socket with 1000 and answers 204.
 */
export async function handleManagementRequest(
  req: IncomingMessage,
  res: ServerResponse,
  connectionId: string,
  lookup: ConnectionLookup,
  maxMessageBytes: number,
): Promise<void> {
  const rejection = checkSigV4Shape(req.headers);
  if (rejection) {
    req.resume();
    reply(res, 403, { message: rejection.message }, rejection.errorType);
    return;
  }
  if (req.method !== "POST" && req.method !== "GET" && req.method !== "DELETE") {
    req.resume();
    // API Gateway answers unknown method/path pairs like a missing route.
    reply(res, 403, { message: "Missing Authentication Token" }, "MissingAuthenticationTokenException");
    return;
  }
  const body = await readBody(req, maxMessageBytes);
  if (body === undefined) {
    reply(res, 413, { message: `Message too long: the limit is ${maxMessageBytes} bytes` }, "PayloadTooLargeException");
    req.resume();
    return;
  }
  const connection = lookup(connectionId);
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
    case "POST":
      try {
        await connection.send(body.toString("utf8"));
        reply(res, 200, undefined);
      } catch {
        reply(res, 410, { message: "Gone" }, "GoneException");
      }
      return;
    case "DELETE":
      connection.disconnect();
      res.writeHead(204, { "x-amzn-requestid": randomUUID() }).end();
      return;
  }
}
