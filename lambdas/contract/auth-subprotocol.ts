/**
 * The chat protocol's versions, negotiated as WebSocket subprotocols, and how a browser hands its
 * token to `$connect`: `new WebSocket(url, [CHAT_SUBPROTOCOL, jwt])` puts both in
 * `Sec-WebSocket-Protocol` (browsers cannot set other headers on a WebSocket). A JWT is three
 * base64url parts joined by dots, all of them RFC 7230 `tchar`s, so it is a valid RFC 6455
 * subprotocol token. `$connect` answers with a protocol version only, never the token.
 */

/**
 * Version 1: a broadcast reaches every recipient as the sender's raw `data`, so a peer's text can
 * look like a server frame. Still selected for pages loaded before version 2 was deployed.
 */
export const CHAT_PROTOCOL_V1 = "wscf.v1";
/** Version 2: every frame is a JSON object typed by the server; a peer's text travels only inside a `chat` frame (lambdas/base/frames.ts). */
export const CHAT_PROTOCOL_V2 = "wscf.v2";
export type ChatProtocol = typeof CHAT_PROTOCOL_V1 | typeof CHAT_PROTOCOL_V2;
/** The versions `$connect` selects, preferred first. */
export const CHAT_PROTOCOLS: readonly ChatProtocol[] = [CHAT_PROTOCOL_V2, CHAT_PROTOCOL_V1];

/** The version the chat page offers (site/chat.js spells it too): the newest. */
export const CHAT_SUBPROTOCOL = CHAT_PROTOCOL_V2;

/** The header the token travels in; API Gateway's identity source names it. */
export const TOKEN_HEADER = "Sec-WebSocket-Protocol";

/** The values a client offered in `Sec-WebSocket-Protocol` (comma-separated, RFC 6455 section 4.1). */
export function offeredProtocols(header: string | undefined): string[] {
  return (header ?? "")
    .split(",")
    .map((value) => value.trim())
    .filter((value) => value !== "");
}

/** The header's value in a headers object whose names may have any letter case (API Gateway keeps the client's). */
export function headerValue(headers: Readonly<Record<string, string | undefined>> | null | undefined, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

function isChatProtocol(value: string): value is ChatProtocol {
  return (CHAT_PROTOCOLS as readonly string[]).includes(value);
}

/** The token offered beside a chat protocol version; undefined unless exactly those two values were offered, the version first. */
export function tokenFromProtocols(header: string | undefined): string | undefined {
  const offered = offeredProtocols(header);
  if (offered.length !== 2 || !isChatProtocol(offered[0]) || isChatProtocol(offered[1])) return undefined;
  return offered[1];
}

/**
 * The `Sec-WebSocket-Protocol` answer `$connect` must give: the preferred chat protocol version the
 * client offered (a browser that offered protocols drops a socket whose answer names none), else
 * none: a client that offered none (wscat) gets version 1's raw text
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-connect-route-subprotocol.html).
 */
export function selectedProtocol(header: string | undefined): ChatProtocol | undefined {
  const offered = offeredProtocols(header);
  return CHAT_PROTOCOLS.find((version) => offered.includes(version));
}
