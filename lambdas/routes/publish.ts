import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2, Context } from "aws-lambda";
import { invocationDeadlines } from "../base/deadline";
import type { ChatDeps } from "./deps";
import { senderOf } from "../base/frames";
import { type ErrorMessage, errorMessage, oversizeRefusal } from "../base/messages";
import { reply } from "../base/reply";
import { CHANNEL_ACTIONS, grantAllows } from "../contract/channels";
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
  const oversize = oversizeRefusal(frames);
  if (oversize) return refuse(oversize, 400);
  const deadline = invocationDeadlines(deps, event, context);
  const result = await broadcast(deps, deps.members.audience(channel), { requestId, data, frames, sender }, deadline);
  if (typeof result === "object" && result.statusCode === 200) {
    const counts = JSON.parse(result.body ?? "{}") as { delivered: number; pruned: number; failed: number };
    await reply(deps, connectionId, { type: "published", channel, ...counts }, deadline.answerBy);
  }
  return result;
}
