import type { APIGatewayProxyResultV2 } from "aws-lambda";
import { errorName, isGone } from "../base/connections-api";
import type { BaseDeps } from "../base/deps";
import type { MessageRate } from "../contract/rate-settings";
import { errorMessage } from "../base/messages";
import { reply } from "../base/reply";
import type { MessageRateLimiter, TakeResult } from "./bucket";

/** What the message rate adds to a handler's deps. */
export interface RateDeps {
  /** The per-connection message rate, checked before anything else. @default - no per-connection limit */
  readonly messageRate?: { readonly limiter: MessageRateLimiter; readonly rate: MessageRate };
}

/**
 * The first step of every message route, sendmessage's and `$default`'s (issues 11 and 19): spends
 * one token of the sender's bucket. Undefined when the message may go on; otherwise the route's
 * result, after a RATE_LIMITED answer to the sender (and nothing posted to anyone else). A bucket
 * that cannot be read refuses the message too: a limit that fails open is no limit.
 *
 * A connection refused `maxRefusals` times since its bucket was last full is closed (@connections
 * DELETE). The stage's route throttle is one token bucket for all connections, applied before any
 * handler runs (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-protect.html),
 * so refusing a flooder's messages here does not stop it from spending everyone's share there:
 * only closing it does.
 */
export async function checkMessageRate(
  deps: Pick<BaseDeps, "connections" | "logger" | "clock"> & RateDeps,
  connectionId: string,
  requestId: string,
): Promise<APIGatewayProxyResultV2 | undefined> {
  if (!deps.messageRate) return undefined;
  const { limiter, rate } = deps.messageRate;
  let taken: TakeResult;
  try {
    taken = await limiter.take(connectionId, new Date(deps.clock.now()));
  } catch (error) {
    const replied = await reply(deps, connectionId, errorMessage("INTERNAL_ERROR", "The message was not sent: its rate could not be checked. Try again."));
    deps.logger.error("rate check failed", { connectionId, requestId, error: errorName(error), detail: String(error), reply: replied });
    return { statusCode: 500, body: "The rate could not be checked." };
  }
  if (taken.allowed) return undefined;
  const closing = taken.refusals >= rate.maxRefusals;
  const why = `Too many messages: at most ${rate.perSecond} a second (${rate.burst} at once). This one was not sent.`;
  const answer = errorMessage("RATE_LIMITED", closing ? `${why} The connection is closed: ${taken.refusals} messages were over the limit.` : why);
  const replied = await reply(deps, connectionId, answer);
  if (!closing) {
    deps.logger.warn("message rate limited", { connectionId, requestId, refusals: taken.refusals, reply: replied });
    return { statusCode: 429, body: answer.message };
  }
  let closed = "closed";
  try {
    await deps.connections.disconnect(connectionId);
  } catch (error) {
    closed = isGone(error) ? "gone" : `failed:${errorName(error)}`;
  }
  deps.logger.warn("connection closed for flooding", { connectionId, requestId, refusals: taken.refusals, reply: replied, closed });
  return { statusCode: 429, body: answer.message };
}
