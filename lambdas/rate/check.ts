import type { APIGatewayProxyResultV2 } from "aws-lambda";
import { errorName } from "../chat/connections-api";
import type { ChatDeps } from "../chat/deps";
import { errorMessage } from "../chat/messages";
import { reply } from "../chat/reply";

/**
 * sendmessage's first step (issue 11): spends one token of the sender's bucket. Undefined when the
 * message may go on; otherwise the route's result, after a RATE_LIMITED answer to the sender (and
 * nothing posted to anyone else). A bucket that cannot be read refuses the message too: a limit
 * that fails open is no limit.
 */
export async function checkMessageRate(deps: ChatDeps, connectionId: string, requestId: string): Promise<APIGatewayProxyResultV2 | undefined> {
  if (!deps.messageRate) return undefined;
  const { limiter, rate } = deps.messageRate;
  let allowed: boolean;
  try {
    allowed = await limiter.take(connectionId, deps.now());
  } catch (error) {
    const replied = await reply(deps, connectionId, errorMessage("INTERNAL_ERROR", "The message was not sent: its rate could not be checked. Try again."));
    deps.logger.error("rate check failed", { connectionId, requestId, error: errorName(error), detail: String(error), reply: replied });
    return { statusCode: 500, body: "The rate could not be checked." };
  }
  if (allowed) return undefined;
  const answer = errorMessage("RATE_LIMITED", `Too many messages: at most ${rate.perSecond} a second (${rate.burst} at once). This one was not sent.`);
  const replied = await reply(deps, connectionId, answer);
  deps.logger.warn("message rate limited", { connectionId, requestId, reply: replied });
  return { statusCode: 429, body: answer.message };
}
