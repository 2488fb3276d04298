import type { APIGatewayProxyResultV2 } from "aws-lambda";
import type { BoundedOutcome } from "../base/bounded";
import { errorName } from "../base/connections-api";
import type { DeadlineSignals } from "../base/deadline";
import type { BaseDeps } from "../base/deps";
import type { SplitDeps } from "./peers";
import type { BroadcastFrames, Sender } from "../base/frames";
import { type ErrorMessage, errorMessage } from "../base/messages";
import { publishBroadcast } from "../base/metrics";
import { reply } from "../base/reply";
import { splitBroadcast } from "./split";
import { type Audience, fromPage } from "../delivery/audience";
import { DeliveryRun, type DeliveryTally } from "../delivery/deliver";

/** One valid message to deliver: sendmessage's to everyone, publish's to a channel. */
export interface BroadcastRequest {
  readonly requestId: string;
  /** The message's text, for its size in the log line and for a split delivery's jobs. */
  readonly data: string;
  /** Its encodings, by the recipient's protocol version. */
  readonly frames: BroadcastFrames;
  /** The sending connection: it gets the answers and reports. @default - a server-side publish: results in the return value only */
  readonly sender?: Sender;
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
 * Delivers `request` to `audience`: reads its first page (at most the inline limit + 1 items);
 * when that was all of it, delivers from what was read, otherwise (with `deps.fanout`) splits it
 * over the fan-out queue (fanout/split.ts). Keeps at most `fanoutConcurrency` posts in flight
 * (delivery/deliver.ts: 410 prunes, other failures are counted and do not stop the rest); at the
 * deadline it stops starting posts, aborts the stragglers and answers the sender. The sender gets a
 * `{"type":"error"}` answer for a partial or failed delivery, for a delivery cut short by the time
 * limit and for one whose recipients could not be read.
 */
export async function broadcast(
  deps: BaseDeps & SplitDeps,
  audience: Audience,
  request: BroadcastRequest,
  deadline: DeadlineSignals,
): Promise<APIGatewayProxyResultV2> {
  const started = deps.clock.now();
  const now = new Date(started);
  const connectionId = request.sender?.connectionId;
  const run = new DeliveryRun({ connections: deps.connections, prune: audience.prune, deadline, clock: deps.clock });
  const summary = {
    connectionId,
    requestId: request.requestId,
    ...(audience.channel === undefined ? {} : { channel: audience.channel }),
    bytes: Buffer.byteLength(request.data, "utf8"),
  };
  const answer = async (message: ErrorMessage) => (connectionId === undefined ? undefined : reply(deps, connectionId, message, deadline.answerBy));
  let outcome: BoundedOutcome;
  try {
    let recipients = audience.recipients(now);
    if (deps.fanout) {
      const first = await audience.firstPage(now, deps.fanout.budget.inlineLimit + 1);
      if (first.complete && first.recipients.length <= deps.fanout.budget.inlineLimit) recipients = fromPage(first);
      else {
        const split = await splitBroadcast(deps, deps.fanout, audience, request);
        if (split) return split;
      }
    }
    outcome = await run.deliverAll(recipients, (recipient) => request.frames.forProtocol(recipient.protocol), deps.fanoutConcurrency);
  } catch (error) {
    // Reading the recipients failed part-way: some got the message, the rest cannot be known.
    const { tally } = run;
    const replied = await answer(
      errorMessage("INTERNAL_ERROR", `The broadcast stopped after ${tally.delivered} deliveries: the connection list could not be read.`),
    );
    const durationMs = deps.clock.now() - started;
    publishBroadcast(deps.metrics, { ...tally, durationMs, incomplete: true });
    deps.logger.error("broadcast aborted", { ...summary, ...tally, error: errorName(error), detail: String(error), reply: replied, durationMs });
    return { statusCode: 500, body: "The connection list could not be read." };
  }

  const { tally } = run;
  const end = ending(outcome, tally);
  const replied = end.answer ? await answer(end.answer) : undefined;
  const durationMs = deps.clock.now() - started;
  publishBroadcast(deps.metrics, { ...tally, durationMs, incomplete: outcome === "stopped" });
  deps.logger[end.level](end.message, {
    ...summary,
    ...tally,
    ...(outcome === "stopped" ? { deadline: deadline.instants.source } : {}),
    ...(replied ? { reply: replied } : {}),
    durationMs,
  });
  return { statusCode: end.statusCode, body: JSON.stringify({ delivered: tally.delivered, pruned: tally.pruned, failed: tally.failed }) };
}

function ending(outcome: BoundedOutcome, { delivered, failed }: DeliveryTally): Ending {
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
