import type { APIGatewayProxyWebsocketEventV2 } from "aws-lambda";
import { SUBJECT_CONTEXT_KEY } from "../contract/authorizer-context";
import { CHAT_PROTOCOL_V2 } from "../contract/auth-subprotocol";

/** Who sent a chat message, as its recipients see it. */
export interface Sender {
  /** The sender's connection id. */
  readonly connectionId: string;
  /** The subject of the token the sender connected with (auth "jwt" only). */
  readonly subject?: string;
}

/** Version 2's frame for a peer's text: the one place a peer's text ever travels (lambdas/README.md, "Message protocol"). */
export interface ChatFrame {
  readonly type: "chat";
  readonly from: Sender;
  readonly data: string;
}

/** The encodings of one broadcast. */
export interface BroadcastFrames {
  /** The frame for a recipient whose connection negotiated `protocol` (its row's; undefined when it offered none). */
  forProtocol(protocol: string | undefined): string;
  /** UTF-8 bytes of the largest encoding: JSON escaping can make the typed frame several times `data`'s size. */
  readonly largestBytes: number;
}

/**
 * The frames of one broadcast, by the protocol version each recipient's connection negotiated:
 * version 2 a typed `chat` frame, so a peer's text can never pass for a server frame; version 1
 * and clients that offered no subprotocol (wscat) the raw `data`, as before. Both encodings are
 * made once per broadcast, not once per recipient.
 */
export function broadcastFrames(data: string, from: Sender): BroadcastFrames {
  const frame: ChatFrame = { type: "chat", from, data };
  const typed = JSON.stringify(frame);
  return {
    forProtocol: (protocol) => (protocol === CHAT_PROTOCOL_V2 ? typed : data),
    largestBytes: Math.max(Buffer.byteLength(typed, "utf8"), Buffer.byteLength(data, "utf8")),
  };
}

/**
 * The sender of a message event: its connection and, behind the authorizer, the subject that API
 * Gateway passes from the `$connect` authorizer's context to every route of the connection (the
 * published event type lacks `authorizer`).
 */
export function senderOf(event: APIGatewayProxyWebsocketEventV2): Sender {
  const { connectionId, authorizer } = event.requestContext as APIGatewayProxyWebsocketEventV2["requestContext"] & { authorizer?: Record<string, unknown> };
  const subject = authorizer?.[SUBJECT_CONTEXT_KEY];
  return typeof subject === "string" ? { connectionId, subject } : { connectionId };
}
