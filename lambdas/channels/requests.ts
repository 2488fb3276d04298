import { CHANNEL_ACTIONS, CHANNEL_GRAMMAR, isChannelName } from "../contract/channels";
import { describeValue, fail, MAX_DATA_BYTES, type ParseResult, parseBody } from "../base/messages";

/** `{"action":"subscribe"|"unsubscribe","channel":"room/a"}` or `{"action":"publish","channel":"room/a","data":"…"}`, validated. */
export interface ChannelRequest {
  readonly action: (typeof CHANNEL_ACTIONS)[keyof typeof CHANNEL_ACTIONS];
  readonly channel: string;
  /** publish only. */
  readonly data?: string;
}

const GRAMMAR = `${CHANNEL_GRAMMAR}, e.g. "room/a"`;

/** Validates a channel action's body: JSON, the route's action, a valid channel, and for publish a string `data` within the size rule. */
export function parseChannelRequest(action: ChannelRequest["action"], body: string | undefined, isBase64Encoded: boolean): ParseResult<ChannelRequest> {
  const parsed = parseBody(body, isBase64Encoded);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return fail("INVALID_JSON", `The message must be a JSON object with "action" and "channel".`);
  const { action: sent, channel, data } = value as { action?: unknown; channel?: unknown; data?: unknown };
  if (sent !== action) return fail("UNKNOWN_ACTION", `Unknown action ${describeValue(sent)}: this route takes "${action}".`);
  if (!isChannelName(channel)) return fail("INVALID_CHANNEL", `"channel" must be ${GRAMMAR}; got ${describeValue(channel)}.`);
  if (action !== CHANNEL_ACTIONS.publish) return { ok: true, value: { action, channel } };
  if (typeof data !== "string") return fail("INVALID_DATA", `"data" must be a string, got ${describeValue(data)}.`);
  const bytes = Buffer.byteLength(data, "utf8");
  if (bytes > MAX_DATA_BYTES) return fail("MESSAGE_TOO_LARGE", `"data" is ${bytes} bytes; the limit is ${MAX_DATA_BYTES} bytes (UTF-8).`);
  return { ok: true, value: { action, channel, data } };
}
