import { randomUUID } from "node:crypto";
import type { APIGatewayProxyResultV2 } from "aws-lambda";
import { errorName } from "../chat/connections-api";
import type { ChatDeps } from "../chat/deps";
import type { Sender } from "../chat/frames";
import { errorMessage } from "../chat/messages";
import { publish } from "../chat/metrics";
import { METRIC } from "../contract/telemetry";
import { reply } from "../chat/reply";
import { jobsFor } from "./job";
import type { SplitFanout } from "./peers";
import { planBroadcast } from "./plan";
import type { BroadcastAccepted } from "./reports";

/**
 * Segments of the COUNT scan that sizes a large broadcast: 8 parallel scans read 1,000,000 ~80-byte
 * ids (80 MB, 1 MB per page) in ~10 pages each, a second or two, well inside sendmessage's 29 s.
 */
export const COUNT_PARALLELISM = 8;

/**
 * Live recipients: one COUNT page of at most `inlineLimit + 1` items answers for a table that small
 * (a 3-person chat costs one Scan call, not {@link COUNT_PARALLELISM}); only a bigger table is
 * counted in parallel.
 */
async function countRecipients(deps: ChatDeps, now: Date, inlineLimit: number): Promise<number> {
  return (await deps.store.countIfAtMost(now, inlineLimit + 1)) ?? (await deps.store.count(now, COUNT_PARALLELISM));
}

/** One valid sendmessage request. */
export interface BroadcastRequest {
  readonly connectionId: string;
  readonly requestId: string;
  readonly data: string;
  /** Who sent it, as version 2 recipients see it. */
  readonly sender: Sender;
}

/**
 * Counts the live recipients and, above the inline limit, splits the broadcast into one job per
 * segment, answers the sender at once (`broadcast-accepted`: the parts, and how many were queued,
 * the reports to expect) and returns 202, or 502 when only some parts were queued. Returns
 * undefined when the broadcast is small enough to stay inline.
 */
export async function splitIfLarge(deps: ChatDeps, fanout: SplitFanout, request: BroadcastRequest): Promise<APIGatewayProxyResultV2 | undefined> {
  const started = deps.now();
  const log = { connectionId: request.connectionId, requestId: request.requestId, bytes: Buffer.byteLength(request.data, "utf8") };
  let plan: ReturnType<typeof planBroadcast> | undefined;
  /** Why nothing was queued, for the log line. */
  let why: Record<string, unknown>;
  try {
    plan = planBroadcast(await countRecipients(deps, started, fanout.budget.inlineLimit), fanout.budget);
    if (plan.mode === "inline") return undefined;
    const broadcastId = randomUUID();
    const { queued, failures } = await fanout.queue.send(
      jobsFor({
        broadcastId,
        sender: request.connectionId,
        ...(request.sender.subject === undefined ? {} : { senderSubject: request.sender.subject }),
        data: request.data,
        segments: plan.segments,
        startedAt: started.getTime(),
      }),
    );
    if (queued > 0) {
      const accepted: BroadcastAccepted = { type: "broadcast-accepted", broadcastId, recipients: plan.recipients, segments: plan.segments, queued };
      const replied = await reply(deps, request.connectionId, accepted);
      const line = { ...log, broadcastId, ...plan, queued, reply: replied, durationMs: deps.now().getTime() - started.getTime() };
      if (queued === plan.segments) {
        deps.logger.info("broadcast split", line);
        return { statusCode: 202, body: JSON.stringify(accepted) };
      }
      // Part of the broadcast is under way: the sender learns which share, and nothing is retried here.
      deps.logger.error("broadcast partly queued", { ...line, failures });
      publish(deps.metrics, [[METRIC.broadcastsWithFailures, 1]]);
      return { statusCode: 502, body: JSON.stringify(accepted) };
    }
    why = { failures };
  } catch (error) {
    why = { error: errorName(error), detail: String(error) };
  }
  const stage = plan === undefined ? "counted" : "queued";
  const replied = await reply(deps, request.connectionId, errorMessage("INTERNAL_ERROR", `The broadcast could not be ${stage}; nobody got it. Try again.`));
  deps.logger.error("broadcast not split", { ...log, stage, ...why, reply: replied });
  publish(deps.metrics, [[METRIC.broadcastsWithFailures, 1]]);
  return { statusCode: 500, body: `The broadcast could not be ${stage}.` };
}
