import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2, Context } from "aws-lambda";
import { invocationDeadlines } from "../base/deadline";
import type { ChatDeps } from "./deps";
import { usageMessage } from "../base/messages";
import { reply } from "../base/reply";
import { checkMessageRate } from "../rate/check";

/**
 * `$default`: anything that is not a known action (including non-JSON) lands here. Answers the
 * caller with one `{"type":"usage"}` message that says what was wrong, how to send, and the
 * caller's own connection id, which the @connections checks need (R11, R12). Each message spends
 * the caller's token bucket first, as sendmessage's do: a flood of anything else is cut off too.
 */
export async function defaultRoute(
  deps: Pick<ChatDeps, "connections" | "logger" | "messageRate" | "clock" | "deadlineReserve">,
  event: APIGatewayProxyWebsocketEventV2,
  context?: Context,
): Promise<APIGatewayProxyResultV2> {
  const { connectionId, requestId } = event.requestContext;
  const limited = await checkMessageRate(deps, connectionId, requestId);
  if (limited) return limited;
  // Abandoned before the function's timeout (10 s) or API Gateway's, like sendmessage's answers: a hung peer ends in "usage not sent".
  const { answerBy } = invocationDeadlines(deps, event, context);
  const outcome = await reply(deps, connectionId, usageMessage(connectionId, event.body, event.isBase64Encoded), answerBy);
  if (outcome === "sent" || outcome === "gone") {
    deps.logger.info("usage sent", { connectionId, requestId, reply: outcome });
    return { statusCode: 200, body: "Usage sent." };
  }
  deps.logger.error("usage not sent", { connectionId, requestId, reply: outcome });
  return { statusCode: 500, body: "Could not answer." };
}
