import { errorName, isGone } from "./connections-api";
import type { ChatDeps } from "./deps";
import type { BroadcastAccepted, SegmentReport } from "../fanout/reports";
import type { ErrorMessage, UsageMessage } from "./messages";
import type { ChannelAnswer } from "../channels/frames";

/** How an answer to the caller went: it may have disconnected meanwhile, which is not our failure. */
export type ReplyOutcome = "sent" | "gone" | `failed:${string}`;

/**
 * Sends a JSON answer to the caller's own connection; never throws, so an answer cannot crash a
 * handler. When `signal` aborts first, the outcome is `failed:AbortError`.
 */
export async function reply(
  deps: Pick<ChatDeps, "connections">,
  connectionId: string,
  message: ErrorMessage | UsageMessage | BroadcastAccepted | SegmentReport | ChannelAnswer,
  signal?: AbortSignal,
): Promise<ReplyOutcome> {
  try {
    await deps.connections.post(connectionId, JSON.stringify(message), { signal });
    return "sent";
  } catch (error) {
    return isGone(error) ? "gone" : `failed:${errorName(error)}`;
  }
}
