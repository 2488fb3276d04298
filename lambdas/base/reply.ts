import { errorName, isGone } from "./connections-api";
import type { BaseDeps } from "./deps";

/** A frame of the server's own (usage, error, reports, channel answers): its `type` says which. */
export interface ServerFrame {
  readonly type: string;
}

/** How an answer to the caller went: it may have disconnected meanwhile, which is not our failure. */
export type ReplyOutcome = "sent" | "gone" | `failed:${string}`;

/**
 * Sends a JSON answer to the caller's own connection; never throws, so an answer cannot crash a
 * handler. When `signal` aborts first, the outcome is `failed:AbortError`.
 */
export async function reply<Frame extends ServerFrame>(
  deps: Pick<BaseDeps, "connections">,
  connectionId: string,
  message: Frame,
  signal?: AbortSignal,
): Promise<ReplyOutcome> {
  try {
    await deps.connections.post(connectionId, JSON.stringify(message), { signal });
    return "sent";
  } catch (error) {
    return isGone(error) ? "gone" : `failed:${errorName(error)}`;
  }
}
