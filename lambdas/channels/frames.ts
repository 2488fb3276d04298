import type { BroadcastFrames, Sender } from "../base/frames";

/** Who published a channel message: a connection, or a backend publishing server-side (no connection). */
export type Publisher = Sender | { readonly server: true };

/** A published message, as every subscriber gets it, whatever protocol version it negotiated. */
export interface ChannelMessage {
  readonly type: "message";
  readonly channel: string;
  readonly from: Publisher;
  readonly data: string;
}

/** The answers to the channel actions (refusals are `{"type":"error"}` frames, base/messages.ts). */
export type ChannelAnswer =
  | { readonly type: "subscribed"; readonly channel: string }
  | { readonly type: "unsubscribed"; readonly channel: string }
  | { readonly type: "published"; readonly channel: string; readonly delivered: number; readonly pruned: number; readonly failed: number };

/**
 * The one encoding of a channel message: a typed frame naming the channel and the publisher, for
 * every recipient (a client that subscribes speaks the channel protocol, so there is no raw form).
 */
export function channelFrames(channel: string, data: string, from: Publisher): BroadcastFrames {
  const frame = JSON.stringify({ type: "message", channel, from, data } satisfies ChannelMessage);
  return { forProtocol: () => frame, largestBytes: Buffer.byteLength(frame, "utf8") };
}
