/**
 * How a browser hands its token to `$connect`: `new WebSocket(url, [CHAT_SUBPROTOCOL, jwt])` puts
 * both in `Sec-WebSocket-Protocol` (browsers cannot set other headers on a WebSocket). A JWT is
 * three base64url parts joined by dots, all of them RFC 7230 `tchar`s, so it is a valid RFC 6455
 * subprotocol token. `$connect` answers with CHAT_SUBPROTOCOL only, never the token.
 */

/** The one subprotocol the API selects. Shared with the chat page (site/chat.js spells it too). */
export const CHAT_SUBPROTOCOL = "wscf.v1";

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

/** The token offered beside {@link CHAT_SUBPROTOCOL}; undefined unless exactly those two values were offered. */
export function tokenFromProtocols(header: string | undefined): string | undefined {
  const offered = offeredProtocols(header);
  if (offered.length !== 2 || offered[0] !== CHAT_SUBPROTOCOL || offered[1] === CHAT_SUBPROTOCOL) return undefined;
  return offered[1];
}

/**
 * The `Sec-WebSocket-Protocol` answer `$connect` must give: CHAT_SUBPROTOCOL when the client
 * offered it (a browser that offered protocols drops a socket whose answer names none), else none
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-connect-route-subprotocol.html).
 */
export function selectedProtocol(header: string | undefined): typeof CHAT_SUBPROTOCOL | undefined {
  return offeredProtocols(header).includes(CHAT_SUBPROTOCOL) ? CHAT_SUBPROTOCOL : undefined;
}
