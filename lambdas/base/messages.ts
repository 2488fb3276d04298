/**
 * The chat's wire protocol (documented in lambdas/README.md): what clients send, what the
 * handlers answer, and the size rule.
 */
import { API_GATEWAY_LIMITS } from "../contract/api-gateway-limits";
import { SEND_MESSAGE_ACTION } from "../contract/routes";

/**
 * Largest `data` accepted, in UTF-8 bytes. API Gateway takes 128 KB messages in 32 KB frames;
 * keeping `data` within one frame means every recipient gets a single unfragmented frame, and a
 * broadcast to 10,000 connections moves at most ~320 MB.
 */
export const MAX_DATA_BYTES = 32 * 1024;
/** API Gateway's own message limit; a larger body never reaches a handler, but a local server may send one. */
export const MAX_BODY_BYTES = API_GATEWAY_LIMITS.maxMessageBytes;

/** Codes of the `{"type":"error"}` answers. */
export type ErrorCode =
  | "INVALID_JSON"
  | "INVALID_DATA"
  | "MESSAGE_TOO_LARGE"
  | "UNKNOWN_ACTION"
  | "PARTIAL_DELIVERY"
  | "DELIVERY_FAILED"
  | "TIME_LIMIT"
  | "INTERNAL_ERROR"
  | "RATE_LIMITED"
  | "INVALID_CHANNEL"
  | "CHANNEL_LIMIT"
  | "CHANNEL_FORBIDDEN";

/** An error answer to the client that caused it. */
export interface ErrorMessage {
  readonly type: "error";
  readonly code: ErrorCode;
  readonly message: string;
}

/** `$default`'s answer: how to use the chat, and the caller's own connection id (for @connections checks, R12). */
export interface UsageMessage {
  readonly type: "usage";
  readonly connectionId: string;
  readonly text: string;
}

/** A request body that passed validation. */
export interface SendMessageRequest {
  readonly action: typeof SEND_MESSAGE_ACTION;
  readonly data: string;
}

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorMessage };

const SEND_EXAMPLE = `{"action":"${SEND_MESSAGE_ACTION}","data":"hello world"}`;

/** Decodes a WebSocket event body (binary frames arrive base64-encoded) and parses it as JSON. */
export function parseBody(body: string | undefined, isBase64Encoded: boolean): ParseResult<unknown> {
  const text = isBase64Encoded && body !== undefined ? Buffer.from(body, "base64").toString("utf8") : (body ?? "");
  if (Buffer.byteLength(text, "utf8") > MAX_BODY_BYTES) {
    return fail("MESSAGE_TOO_LARGE", `The message is larger than ${MAX_BODY_BYTES} bytes.`);
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return fail("INVALID_JSON", `The message is not JSON. Send ${SEND_EXAMPLE}.`);
  }
}

/** Validates a `sendmessage` body: JSON, the right action, a string `data` within {@link MAX_DATA_BYTES}. */
export function parseSendMessage(body: string | undefined, isBase64Encoded: boolean): ParseResult<SendMessageRequest> {
  const parsed = parseBody(body, isBase64Encoded);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail("INVALID_JSON", `The message must be a JSON object such as ${SEND_EXAMPLE}.`);
  }
  const { action, data } = value as { action?: unknown; data?: unknown };
  if (action !== SEND_MESSAGE_ACTION) {
    return fail("UNKNOWN_ACTION", `Unknown action ${describeValue(action)}: this route takes "${SEND_MESSAGE_ACTION}".`);
  }
  if (typeof data !== "string") {
    return fail("INVALID_DATA", `"data" must be a string, got ${describeValue(data)}. Send ${SEND_EXAMPLE}.`);
  }
  const bytes = Buffer.byteLength(data, "utf8");
  if (bytes > MAX_DATA_BYTES) {
    return fail("MESSAGE_TOO_LARGE", `"data" is ${bytes} bytes; the limit is ${MAX_DATA_BYTES} bytes (UTF-8).`);
  }
  return { ok: true, value: { action: SEND_MESSAGE_ACTION, data } };
}

/**
 * The usage text `$default` answers with. `body` is what the client sent, so the text can say
 * what was wrong with it (not JSON, unknown or missing action) before saying what works.
 */
export function usageMessage(connectionId: string, body: string | undefined, isBase64Encoded: boolean): UsageMessage {
  const how = `Send ${SEND_EXAMPLE} to post "data" to everyone connected. Your connection id is ${connectionId}.`;
  return { type: "usage", connectionId, text: `${problemWith(body, isBase64Encoded)}${how}` };
}

function problemWith(body: string | undefined, isBase64Encoded: boolean): string {
  if (body === undefined || body === "") return "";
  const parsed = parseBody(body, isBase64Encoded);
  if (!parsed.ok) return parsed.error.code === "INVALID_JSON" ? "The message is not JSON. " : "The message is too large. ";
  const value = parsed.value;
  const action = typeof value === "object" && value !== null && !Array.isArray(value) ? (value as { action?: unknown }).action : undefined;
  return action === undefined ? 'The message has no "action". ' : `Unknown action ${describeValue(action)}. `;
}

/** An error answer. */
export function errorMessage(code: ErrorCode, message: string): ErrorMessage {
  return { type: "error", code, message };
}

/**
 * The refusal of a message whose largest encoding (JSON escaping can grow a typed frame several
 * times its `data`) is over what @connections takes in one post; undefined when it fits.
 */
export function oversizeRefusal(frames: { readonly largestBytes: number }): ErrorMessage | undefined {
  if (frames.largestBytes <= MAX_BODY_BYTES) return undefined;
  return errorMessage("MESSAGE_TOO_LARGE", `The message would reach its recipients as ${frames.largestBytes} bytes; the limit is ${MAX_BODY_BYTES}.`);
}

export function fail(code: ErrorCode, message: string): { ok: false; error: ErrorMessage } {
  return { ok: false, error: errorMessage(code, message) };
}

/** Names a value's type (and short strings' value) without echoing message contents at length. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") return value.length <= 40 ? JSON.stringify(value) : "a long string";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
