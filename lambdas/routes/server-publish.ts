import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2, Context } from "aws-lambda";
import { z } from "zod";
import { invocationDeadlines } from "../base/deadline";
import type { ChatDeps } from "./deps";
import { type ErrorCode, MAX_DATA_BYTES, oversizeRefusal } from "../base/messages";
import { CHANNEL_GRAMMAR, isChannelName } from "../contract/channels";
import { broadcast } from "../fanout/broadcast";
import type { BroadcastAccepted } from "../fanout/reports";
import { channelFrames } from "../channels/frames";
import { withMembers } from "./membership";
import { publishRoute } from "./publish";

/**
 * What a backend sends to publish without a socket: the Lambda Invoke API's payload to the publish
 * function, e.g. `{"channel":"room/a","data":"hello"}`. Unknown fields are refused, so a typo
 * (`"chanel"`) is an error, not a silent default.
 */
export const ServerPublishRequest = z.strictObject({ channel: z.string(), data: z.string() });
export type ServerPublishRequest = z.infer<typeof ServerPublishRequest>;

/** A server-side publish's result, the Invoke API's response payload. */
export type ServerPublishOutcome =
  /** Delivered inline: the counts; `complete` is false when the time limit stopped it (members left untried). */
  | {
      readonly type: "published";
      readonly channel: string;
      readonly delivered: number;
      readonly pruned: number;
      readonly failed: number;
      readonly complete: boolean;
    }
  /** Split over the fan-out queue: as a socket publisher is told (no segment reports follow: nobody to send them to). */
  | (BroadcastAccepted & { readonly channel: string })
  /** Refused or failed; nothing (or, for INTERNAL_ERROR, an unknown part) was delivered. */
  | { readonly type: "error"; readonly code: ErrorCode | "INVALID_REQUEST"; readonly message: string };

const refusal = (code: ErrorCode | "INVALID_REQUEST", message: string): ServerPublishOutcome => ({ type: "error", code, message });

/**
 * Publishes from a backend, not a socket client: the same delivery, fan-out, deadlines and size
 * limits as a client's publish (no message rate and no channel claim: the backend's IAM permission
 * to invoke the function is its authorization), the frame's `from` being `{"server":true}`.
 * The function's `context` (its remaining time) bounds it as a route's timeout does.
 * A bad request is an `error` outcome, not a thrown error: the function's Errors alarm then
 * counts failures of the function, not a caller's mistakes.
 */
export async function publishFromServer(chatDeps: ChatDeps, payload: unknown, context?: Context): Promise<ServerPublishOutcome> {
  const deps = withMembers(chatDeps);
  const parsed = ServerPublishRequest.safeParse(payload);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "payload"}: ${issue.message}`).join("; ");
    return refusal("INVALID_REQUEST", `The payload must be {"channel":"room/a","data":"text"} (${problems}).`);
  }
  const { channel, data } = parsed.data;
  if (!isChannelName(channel)) {
    return refusal("INVALID_CHANNEL", `"channel" must be ${CHANNEL_GRAMMAR}.`);
  }
  const bytes = Buffer.byteLength(data, "utf8");
  if (bytes > MAX_DATA_BYTES) return refusal("MESSAGE_TOO_LARGE", `"data" is ${bytes} bytes; the limit is ${MAX_DATA_BYTES} bytes (UTF-8).`);
  const frames = channelFrames(channel, data, { server: true });
  const oversize = oversizeRefusal(frames);
  if (oversize) return oversize;
  // No route event: API Gateway is not waiting, only the function's own timeout bounds it.
  const result = await broadcast(deps, deps.members.audience(channel), { requestId: "server", data, frames }, invocationDeadlines(deps, undefined, context));
  return outcomeOf(channel, result);
}

/** broadcast()'s route result, as the backend's outcome. */
function outcomeOf(channel: string, result: APIGatewayProxyResultV2): ServerPublishOutcome {
  const { statusCode = 200, body = "" } = typeof result === "object" ? result : {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    // 500: the members could not be read or the split could not be queued; the body says which.
    return refusal("INTERNAL_ERROR", body || "The publish failed.");
  }
  const value = parsed as Partial<BroadcastAccepted> & { delivered?: number; pruned?: number; failed?: number };
  if (value.type === "broadcast-accepted") return { ...(value as BroadcastAccepted), channel };
  const { delivered = 0, pruned = 0, failed = 0 } = value;
  // 504: broadcast() stopped at the deadline.
  return { type: "published", channel, delivered, pruned, failed, complete: statusCode !== 504 };
}

/** An invocation of the publish function: API Gateway's route event, or a backend's payload (no `requestContext`). */
export type PublishInvocation = APIGatewayProxyWebsocketEventV2 | Record<string, unknown>;

/** True for API Gateway's route event; a backend's Invoke payload has no `requestContext`. */
export function isRouteEvent(event: PublishInvocation): event is APIGatewayProxyWebsocketEventV2 {
  return typeof event === "object" && event !== null && typeof (event as { requestContext?: unknown }).requestContext === "object";
}

/** The publish function's logic: the `publish` route for a socket client, {@link publishFromServer} for a backend. */
export async function publishInvocation(deps: ChatDeps, event: PublishInvocation, context?: Context): Promise<APIGatewayProxyResultV2 | ServerPublishOutcome> {
  if (isRouteEvent(event)) return publishRoute(deps, event, context);
  const outcome = await publishFromServer(deps, event, context);
  // A delivery logs its own line (delivery/broadcast.ts); a refusal has only this one.
  if (outcome.type === "error") deps.logger.warn("server publish refused", { ...outcome });
  return outcome;
}
