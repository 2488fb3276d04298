import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2, Context } from "aws-lambda";
import { broadcastDeadlines, deadlineReserve, deadlineSignals, invocationDeadlines } from "../base/deadline";
import type { ChatDeps } from "./deps";
import { MANAGEMENT_TUNING } from "../base/clients";
import { senderOf } from "../base/frames";
import { type ErrorMessage, errorMessage, MAX_BODY_BYTES, MAX_DATA_BYTES } from "../base/messages";
import { reply } from "../base/reply";
import { CHANNEL_ACTIONS, grantAllows, isChannelName } from "../contract/channels";
import { broadcast } from "../fanout/broadcast";
import { checkMessageRate } from "../rate/check";
import { channelFrames } from "../channels/frames";
import { grantOf } from "../channels/grant";
import { withMembers } from "./membership";
import { parseChannelRequest } from "../channels/requests";

/**
 * `publish`: checks the rate, the channel and (auth on) the token's claim, then delivers a typed
 * `message` frame to the channel's members only, with sendmessage's delivery (fanout/broadcast.ts:
 * inline for a small channel, the split fan-out for a large one, the same deadlines and reports).
 * The publisher is answered `{"type":"published","channel","delivered","pruned","failed"}` after an
 * inline delivery, `broadcast-accepted` for a split one, or an error frame.
 */
export async function publishRoute(chatDeps: ChatDeps, event: APIGatewayProxyWebsocketEventV2, context?: Context): Promise<APIGatewayProxyResultV2> {
  const deps = withMembers(chatDeps);
  const { connectionId, requestId } = event.requestContext;
  const limited = await checkMessageRate(deps, connectionId, requestId);
  if (limited) return limited;
  const refuse = async (error: ErrorMessage, statusCode: number): Promise<APIGatewayProxyResultV2> => {
    const replied = await reply(deps, connectionId, error);
    deps.logger.warn("publish refused", { connectionId, requestId, code: error.code, reply: replied });
    return { statusCode, body: error.message };
  };
  const request = parseChannelRequest(CHANNEL_ACTIONS.publish, event.body, event.isBase64Encoded);
  if (!request.ok) return refuse(request.error, 400);
  const { channel, data = "" } = request.value;
  if (!grantAllows(grantOf(event, deps.channelAccess ?? "open"), channel)) {
    return refuse(errorMessage("CHANNEL_FORBIDDEN", `Your token does not allow channel "${channel}".`), 403);
  }
  const sender = senderOf(event);
  const frames = channelFrames(channel, data, sender);
  if (frames.largestBytes > MAX_BODY_BYTES) {
    return refuse(
      errorMessage("MESSAGE_TOO_LARGE", `The message would reach its recipients as ${frames.largestBytes} bytes; the limit is ${MAX_BODY_BYTES}.`),
      400,
    );
  }
  const deadline = invocationDeadlines(deps, event, context);
  const result = await broadcast(deps, deps.members.audience(channel), { requestId, data, frames, sender }, deadline);
  if (typeof result === "object" && result.statusCode === 200) {
    const counts = JSON.parse(result.body ?? "{}") as { delivered: number; pruned: number; failed: number };
    await reply(deps, connectionId, { type: "published", channel, ...counts }, deadline.answerBy);
  }
  return result;
}

/** A server-side publish: what a backend sends, with no WebSocket connection of its own. */
export interface ServerPublish {
  readonly channel: string;
  readonly data: string;
}

/**
 * Publishes from a backend, not a socket client: the same delivery, fan-out, deadlines and limits
 * as a client's publish, the frame's `from` being `{"server":true}`; the outcome (counts, or the
 * split's `broadcast-accepted`) is the return value. `remainingTimeMs` bounds it like a route's
 * function timeout. Throws a RangeError for a bad channel or data (nothing is sent).
 */
export async function publishFromServer(chatDeps: ChatDeps, message: ServerPublish, remainingTimeMs?: number): Promise<APIGatewayProxyResultV2> {
  const deps = withMembers(chatDeps);
  if (!isChannelName(message.channel)) throw new RangeError(`not a channel name: ${JSON.stringify(message.channel)}`);
  if (typeof message.data !== "string" || Buffer.byteLength(message.data, "utf8") > MAX_DATA_BYTES) {
    throw new RangeError(`data must be a string of at most ${MAX_DATA_BYTES} bytes`);
  }
  const instants = broadcastDeadlines({ now: deps.clock.now(), remainingTimeMs }, deps.deadlineReserve ?? deadlineReserve(MANAGEMENT_TUNING));
  const frames = channelFrames(message.channel, message.data, { server: true });
  return broadcast(deps, deps.members.audience(message.channel), { requestId: "server", data: message.data, frames }, deadlineSignals(instants, deps.clock));
}
