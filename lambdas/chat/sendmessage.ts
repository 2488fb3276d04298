import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2, Context } from "aws-lambda";
import { type BoundedOutcome, forEachBounded } from "./bounded";
import { errorName, isGone } from "./connections-api";
import { abortAt, invocationDeadlines } from "./deadline";
import type { ChatDeps } from "./deps";
import { broadcastFrames, senderOf } from "./frames";
import { type ErrorMessage, errorMessage, MAX_BODY_BYTES, parseSendMessage } from "./messages";
import { publishBroadcast } from "./metrics";
import { reply } from "./reply";
import { splitIfLarge } from "../fanout/split";
import { checkMessageRate } from "../rate/check";
import type { Recipient } from "./store";

/** What one broadcast did, as logged in its summary line. */
export interface BroadcastTally {
  /** Recipients that accepted the message (the sender included). */
  delivered: number;
  /** Recipients that answered 410 Gone and were deleted from the table. */
  pruned: number;
  /** Recipients that failed otherwise (after the SDK's retries), or whose stale id could not be deleted. */
  failed: number;
  /** `failed`, counted by error name: enough to tell throttling from outages without logging ids. */
  failures: Record<string, number>;
  /** @connections answers 429, the ones the SDK then retried included. */
  throttled: number;
}

/** How a broadcast ended, and what the sender and the log are told. */
interface Ending {
  readonly level: "info" | "warn" | "error";
  readonly message: string;
  readonly statusCode: number;
  /** The error answer to the sender; none when everyone got the message. */
  readonly answer?: ErrorMessage;
}

/**
 * `sendmessage` (R9): posts `data` to every stored connection, the sender included, encoded for
 * the protocol version each one negotiated (frames.ts): the raw string for version 1 and for
 * clients that offered no subprotocol (so wscat echoes "hello world"), a typed `chat` frame naming
 * the sender for version 2. Reads the table page by page and keeps at most
 * `fanoutConcurrency` posts in flight; a 410 deletes THAT recipient; other failures are counted
 * and do not stop the rest. Before API Gateway's 29 s integration timeout (or the function's own,
 * if sooner) it stops starting posts, aborts the stragglers and answers the sender (deadline.ts).
 * The sender gets a `{"type":"error"}` answer for bad input, for a partial or failed delivery, for
 * a broadcast cut short by the time limit and for an aborted broadcast. Above the inline limit
 * (with `deps.fanout`), the broadcast is split over the fan-out queue instead (fanout/split.ts).
 */
export async function sendMessage(deps: ChatDeps, event: APIGatewayProxyWebsocketEventV2, context?: Context): Promise<APIGatewayProxyResultV2> {
  const { connectionId, requestId } = event.requestContext;
  const started = Date.now();
  const limited = await checkMessageRate(deps, connectionId, requestId);
  if (limited) return limited;
  const request = parseSendMessage(event.body, event.isBase64Encoded);
  if (!request.ok) return rejected(deps, event, request.error);
  const { data } = request.value;
  const sender = senderOf(event);
  const frames = broadcastFrames(data, sender);
  // @connections takes at most 128 KB per post; JSON escaping can grow a typed frame past it.
  if (frames.largestBytes > MAX_BODY_BYTES) {
    return rejected(
      deps,
      event,
      errorMessage("MESSAGE_TOO_LARGE", `The message would reach its recipients as ${frames.largestBytes} bytes; the limit is ${MAX_BODY_BYTES}.`),
    );
  }

  if (deps.fanout) {
    const split = await splitIfLarge(deps, deps.fanout, { connectionId, requestId, data, sender });
    if (split) return split;
  }

  const deadlines = invocationDeadlines(deps, event, context);
  const signalAt = (instant: number): AbortSignal => abortAt(instant, deps.now().getTime());
  const inFlight = signalAt(deadlines.abortInFlight);

  const tally: BroadcastTally = { delivered: 0, pruned: 0, failed: 0, failures: {}, throttled: 0 };
  const throttled = (): void => {
    tally.throttled += 1;
  };
  const fail = (name: string): void => {
    tally.failed += 1;
    tally.failures[name] = (tally.failures[name] ?? 0) + 1;
  };
  const deliver = async ({ connectionId: recipient, protocol }: Recipient): Promise<void> => {
    try {
      await deps.connections.post(recipient, frames.forProtocol(protocol), { signal: inFlight, onThrottled: throttled });
      tally.delivered += 1;
    } catch (error) {
      if (!isGone(error)) return fail(errorName(error));
      try {
        // The sample deleted the SENDER here; the stale id is the recipient's.
        await deps.store.remove(recipient, inFlight);
        tally.pruned += 1;
      } catch (pruneError) {
        fail(`prune:${errorName(pruneError)}`);
      }
    }
  };

  const summary = { connectionId, requestId, bytes: Buffer.byteLength(data, "utf8") };
  let outcome: BoundedOutcome;
  try {
    outcome = await forEachBounded(deps.store.recipients(deps.now()), deps.fanoutConcurrency, deliver, { signal: signalAt(deadlines.stopStarting) });
  } catch (error) {
    // Reading the table failed part-way: some recipients got the message, the rest cannot be known.
    const answer = errorMessage("INTERNAL_ERROR", `The broadcast stopped after ${tally.delivered} deliveries: the connection list could not be read.`);
    const replied = await reply(deps, connectionId, answer, signalAt(deadlines.answerBy));
    const durationMs = Date.now() - started;
    publishBroadcast(deps.metrics, { ...tally, durationMs, incomplete: true });
    deps.logger.error("broadcast aborted", { ...summary, ...tally, error: errorName(error), detail: String(error), reply: replied, durationMs });
    return { statusCode: 500, body: "The connection list could not be read." };
  }

  const end = ending(outcome, tally);
  const replied = end.answer ? await reply(deps, connectionId, end.answer, signalAt(deadlines.answerBy)) : undefined;
  const durationMs = Date.now() - started;
  publishBroadcast(deps.metrics, { ...tally, durationMs, incomplete: outcome === "stopped" });
  deps.logger[end.level](end.message, {
    ...summary,
    ...tally,
    ...(outcome === "stopped" ? { deadline: deadlines.source } : {}),
    ...(replied ? { reply: replied } : {}),
    durationMs,
  });
  return { statusCode: end.statusCode, body: JSON.stringify({ delivered: tally.delivered, pruned: tally.pruned, failed: tally.failed }) };
}

/** Answers the sender why its message was not sent (nothing is broadcast): 400. */
async function rejected(deps: ChatDeps, event: APIGatewayProxyWebsocketEventV2, error: ErrorMessage): Promise<APIGatewayProxyResultV2> {
  const { connectionId, requestId } = event.requestContext;
  const outcome = await reply(deps, connectionId, error);
  deps.logger.warn("message rejected", { connectionId, requestId, code: error.code, reply: outcome });
  return { statusCode: 400, body: error.message };
}

function ending(outcome: BoundedOutcome, { delivered, failed }: BroadcastTally): Ending {
  if (outcome === "stopped") {
    const unreachable = failed > 0 ? `, ${failed} could not be reached` : "";
    return {
      level: "error",
      message: "broadcast cut short",
      // API Gateway does not forward a route's status without a route response: this is for the logs.
      statusCode: 504,
      answer: errorMessage(
        "TIME_LIMIT",
        `The broadcast reached its time limit after delivering to ${delivered} connections${unreachable}; connections not reached by then did not get the message.`,
      ),
    };
  }
  if (failed > 0 && delivered === 0) {
    return {
      level: "error",
      message: "broadcast failed",
      statusCode: 502,
      answer: errorMessage("DELIVERY_FAILED", `Delivered to no connection; ${failed} could not be reached.`),
    };
  }
  if (failed > 0) {
    return {
      level: "warn",
      message: "broadcast partly failed",
      statusCode: 502,
      answer: errorMessage("PARTIAL_DELIVERY", `Delivered to ${delivered} connections; ${failed} could not be reached.`),
    };
  }
  return { level: "info", message: "broadcast", statusCode: 200 };
}
