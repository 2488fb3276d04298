import type { IncomingMessage } from "node:http";

/** Why a handshake is not a valid RFC 6455 opening handshake: the status to refuse it with, and extra headers. */
export interface HandshakeProblem {
  readonly status: 400 | 405;
  readonly reason: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The one protocol version RFC 6455 defines (section 4.1: `Sec-WebSocket-Version` "MUST be 13"). */
const WEBSOCKET_VERSION = "13";

/** RFC 6455 section 4.1: the key is a random 16-byte value, base64-encoded (24 characters, `==` padded). */
const KEY = /^[+/0-9A-Za-z]{22}==$/;

/** RFC 7230 `token` characters: what each offered subprotocol must be made of (RFC 6455 section 4.1). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * What is wrong with an upgrade request as a WebSocket opening handshake (RFC 6455 section 4.2.1),
 * or undefined when it is well formed. API Gateway checks the handshake before it runs any route,
 * so a malformed one never reaches `$connect` (nor its authorizer) and stores nothing; `ws` makes
 * the same checks, but only once `$connect` has run, hence this one first. Version 8 (a draft that
 * `ws` still accepts) is refused: only RFC 6455's 13 is a WebSocket.
 */
export function handshakeProblem(req: IncomingMessage): HandshakeProblem | undefined {
  if (req.method !== "GET") return { status: 405, reason: "Invalid HTTP method" };
  if (req.headers.upgrade?.toLowerCase() !== "websocket") return { status: 400, reason: "Invalid Upgrade header" };
  const key = req.headers["sec-websocket-key"];
  if (key === undefined || !KEY.test(key)) return { status: 400, reason: "Missing or invalid Sec-WebSocket-Key header" };
  if (req.headers["sec-websocket-version"] !== WEBSOCKET_VERSION) {
    // RFC 6455 section 4.4: the refusal names the versions the server understands.
    return { status: 400, reason: "Missing or invalid Sec-WebSocket-Version header", headers: { "Sec-WebSocket-Version": WEBSOCKET_VERSION } };
  }
  const protocols = req.headers["sec-websocket-protocol"];
  if (protocols !== undefined) {
    const offered = protocols.split(",").map((value) => value.trim());
    if (!offered.every((value) => TOKEN.test(value)) || new Set(offered).size !== offered.length) {
      return { status: 400, reason: "Invalid Sec-WebSocket-Protocol header" };
    }
  }
  return undefined;
}
