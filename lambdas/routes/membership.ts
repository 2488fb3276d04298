import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2, Context } from "aws-lambda";
import { errorName } from "../base/connections-api";
import { invocationDeadlines } from "../base/deadline";
import type { ChatDeps } from "./deps";
import { type ErrorMessage, errorMessage } from "../base/messages";
import { reply } from "../base/reply";
import { CHANNEL_ACTIONS, grantAllows, MAX_CHANNELS_PER_CONNECTION } from "../contract/channels";
import { checkMessageRate } from "../rate/check";
import type { ChannelAnswer } from "../channels/frames";
import { grantOf } from "../channels/grant";
import { parseChannelRequest } from "../channels/requests";

/** The chat deps of a channel route: the members table is there. */
export type MemberDeps = ChatDeps & { readonly members: NonNullable<ChatDeps["members"]> };

/** The members table, or a cold-start error: a channel route without MEMBERS_TABLE is misconfigured. */
export function withMembers(deps: ChatDeps): MemberDeps {
  if (!deps.members) throw new Error("MEMBERS_TABLE is not set: the channel routes need the channel members table");
  return deps as MemberDeps;
}

/**
 * `subscribe`: checks the rate, the channel's name and (auth on) the token's channel claim, then
 * records the membership (at most MAX_CHANNELS_PER_CONNECTION per connection; subscribing again
 * is a success) and answers `{"type":"subscribed","channel"}`, or an error frame saying why not.
 */
export async function subscribe(deps: ChatDeps, event: APIGatewayProxyWebsocketEventV2, context?: Context): Promise<APIGatewayProxyResultV2> {
  return membership(deps, event, context, CHANNEL_ACTIONS.subscribe);
}

/** `unsubscribe`: removes the membership (none is a success) and answers `{"type":"unsubscribed","channel"}`; nothing arrives from the channel after that answer. */
export async function unsubscribe(deps: ChatDeps, event: APIGatewayProxyWebsocketEventV2, context?: Context): Promise<APIGatewayProxyResultV2> {
  return membership(deps, event, context, CHANNEL_ACTIONS.unsubscribe);
}

async function membership(
  chatDeps: ChatDeps,
  event: APIGatewayProxyWebsocketEventV2,
  context: Context | undefined,
  action: "subscribe" | "unsubscribe",
): Promise<APIGatewayProxyResultV2> {
  const deps = withMembers(chatDeps);
  const { connectionId, requestId, connectedAt } = event.requestContext;
  const limited = await checkMessageRate(deps, connectionId, requestId);
  if (limited) return limited;
  const { answerBy } = invocationDeadlines(deps, event, context);
  const refuse = async (error: ErrorMessage, statusCode: number): Promise<APIGatewayProxyResultV2> => {
    const replied = await reply(deps, connectionId, error, answerBy);
    deps.logger.warn(`${action} refused`, { connectionId, requestId, code: error.code, reply: replied });
    return { statusCode, body: error.message };
  };
  const request = parseChannelRequest(action, event.body, event.isBase64Encoded);
  if (!request.ok) return refuse(request.error, 400);
  const { channel } = request.value;
  try {
    if (action === CHANNEL_ACTIONS.subscribe) {
      // Unsubscribing is always allowed: a token's claim may only narrow what a connection receives.
      if (!grantAllows(grantOf(event, deps.channelAccess ?? "open"), channel)) {
        return refuse(errorMessage("CHANNEL_FORBIDDEN", `Your token does not allow channel "${channel}".`), 403);
      }
      const refused = await deps.members.join(connectionId, channel, connectedAt);
      if (refused === "limit") {
        return refuse(
          errorMessage("CHANNEL_LIMIT", `A connection may be subscribed to at most ${MAX_CHANNELS_PER_CONNECTION} channels; unsubscribe from one first.`),
          409,
        );
      }
    } else {
      await deps.members.leave(connectionId, channel);
    }
  } catch (error) {
    const replied = await reply(deps, connectionId, errorMessage("INTERNAL_ERROR", `Could not ${action}; try again.`), answerBy);
    deps.logger.error(`${action} failed`, { connectionId, requestId, channel, error: errorName(error), detail: String(error), reply: replied });
    return { statusCode: 500, body: `Could not ${action}.` };
  }
  const answer: ChannelAnswer = { type: action === CHANNEL_ACTIONS.subscribe ? "subscribed" : "unsubscribed", channel };
  const replied = await reply(deps, connectionId, answer, answerBy);
  deps.logger.info(answer.type, { connectionId, requestId, channel, reply: replied });
  return { statusCode: 200, body: JSON.stringify(answer) };
}
