/**
 * Channels: their names, who may use which, and the limits. Shared by the handlers, the stack, the
 * configuration schema and the local gateway (documented in lambdas/README.md, "Channels").
 */

/** The channel actions, beside `sendmessage` (which still goes to everyone). */
export const CHANNEL_ACTIONS = { subscribe: "subscribe", unsubscribe: "unsubscribe", publish: "publish" } as const;

/** Longest channel name, in characters (ASCII only, so also bytes): a DynamoDB partition key may be 2,048 bytes; 128 keeps frames and logs short. */
export const MAX_CHANNEL_LENGTH = 128;

/**
 * A channel name: one or more segments of `[A-Za-z0-9_-]`, joined by `/` (`room/a`, `team-7/news`).
 * No empty segment, no leading or trailing `/`, at most {@link MAX_CHANNEL_LENGTH} characters.
 */
export const CHANNEL_NAME = /^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*$/;

/**
 * Channels one connection may be subscribed to at once. AWS IoT Core allows 50 subscriptions per
 * connection ("Subscriptions per connection: 50", https://docs.aws.amazon.com/general/latest/gr/iot-core.html#message-broker-limits);
 * the same bound here keeps a connection's row (its channel set) and its `$disconnect` clean-up small
 * (50 deletions: two BatchWriteItem calls of at most 25).
 */
export const MAX_CHANNELS_PER_CONNECTION = 50;

/** {@link CHANNEL_NAME} in words, for the messages that refuse a name. */
export const CHANNEL_GRAMMAR = `segments of letters, digits, "_" and "-" joined by "/", at most ${MAX_CHANNEL_LENGTH} characters`;

/** True when `channel` is a valid channel name. */
export function isChannelName(channel: unknown): channel is string {
  return typeof channel === "string" && channel.length <= MAX_CHANNEL_LENGTH && CHANNEL_NAME.test(channel);
}

/**
 * A channel pattern, as a token's channels claim lists them: a channel name whose segments may be
 * `*` (exactly one segment) and whose last segment may be `**` (one or more segments). `room/*`
 * allows `room/a`, not `room` nor `room/a/b`; `room/**` allows both of the latter two's children; `**` allows every channel.
 */
export const CHANNEL_PATTERN = /^(?:[A-Za-z0-9_-]+|\*)(?:\/(?:[A-Za-z0-9_-]+|\*))*(?:\/\*\*)?$|^\*\*$/;

/** True when `pattern` is a valid channel pattern. */
export function isChannelPattern(pattern: unknown): pattern is string {
  return typeof pattern === "string" && pattern.length <= MAX_CHANNEL_LENGTH && CHANNEL_PATTERN.test(pattern);
}

/** True when `pattern` allows `channel` (both valid). */
export function patternAllows(pattern: string, channel: string): boolean {
  const want = pattern.split("/");
  const have = channel.split("/");
  for (let i = 0; i < want.length; i += 1) {
    if (want[i] === "**") return have.length > i;
    if (i >= have.length) return false;
    if (want[i] !== "*" && want[i] !== have[i]) return false;
  }
  return want.length === have.length;
}

/**
 * What a connection may do with channels. `open`: auth is off, everything is allowed. Otherwise
 * the patterns of its token's channels claim, passed by the `$connect` authorizer.
 */
export type ChannelGrant = { readonly open: true } | { readonly open: false; readonly patterns: readonly string[] };

/** True when `grant` allows `channel`. */
export function grantAllows(grant: ChannelGrant, channel: string): boolean {
  return grant.open || grant.patterns.some((pattern) => patternAllows(pattern, channel));
}

/**
 * The authorizer context key carrying the token's channel patterns to every route of the
 * connection, as a JSON array: API Gateway's authorizer context values are strings, numbers or
 * booleans only (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-lambda-authorizer-output.html).
 */
export const CHANNELS_CONTEXT_KEY = "channels";

/** The claim that holds a token's channel patterns when the configuration names none. */
export const DEFAULT_CHANNELS_CLAIM = "channels";
