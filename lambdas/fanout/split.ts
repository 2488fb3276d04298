import { randomUUID } from "node:crypto";
import type { APIGatewayProxyResultV2 } from "aws-lambda";
import { errorName } from "../base/connections-api";
import type { BaseDeps } from "../base/deps";
import { type ErrorMessage, errorMessage } from "../base/messages";
import { publish } from "../base/metrics";
import { METRIC } from "../contract/telemetry";
import { reply } from "../base/reply";
import type { Audience } from "../delivery/audience";
import type { BroadcastRequest } from "./broadcast";
import { jobsFor } from "./job";
import type { SplitFanout } from "./peers";
import { planBroadcast } from "./plan";
import type { BroadcastAccepted } from "./reports";

/**
 * Counts `audience`'s live recipients (called when its first page was not all of it) and, above the
 * inline limit, splits the delivery into one job per segment, answers the sender at once
 * (`broadcast-accepted`: the parts, and how many were queued, the reports to expect) and returns
 * 202, or 502 when only some parts were queued; a server-side publish (no sender) gets the same
 * in the return value. Returns undefined when the audience turned out small enough to stay inline.
 */
export async function splitBroadcast(
  deps: BaseDeps,
  fanout: SplitFanout,
  audience: Audience,
  request: BroadcastRequest,
): Promise<APIGatewayProxyResultV2 | undefined> {
  const started = new Date(deps.clock.now());
  const connectionId = request.sender?.connectionId;
  const answer = async (message: BroadcastAccepted | ErrorMessage) => (connectionId === undefined ? undefined : reply(deps, connectionId, message));
  const log = {
    connectionId,
    requestId: request.requestId,
    ...(audience.channel === undefined ? {} : { channel: audience.channel }),
    bytes: Buffer.byteLength(request.data, "utf8"),
  };
  let plan: ReturnType<typeof planBroadcast> | undefined;
  /** Why nothing was queued, for the log line. */
  let why: Record<string, unknown>;
  try {
    plan = planBroadcast(await audience.count(started), fanout.budget, audience.maxSegments);
    if (plan.mode === "inline") return undefined;
    const broadcastId = randomUUID();
    const { queued, failures } = await fanout.queue.send(
      jobsFor({
        broadcastId,
        // "" for a server-side publish: nobody to report to (fanout/job.ts).
        sender: connectionId ?? "",
        ...(request.sender?.subject === undefined ? {} : { senderSubject: request.sender.subject }),
        ...(audience.channel === undefined ? {} : { channel: audience.channel }),
        data: request.data,
        segments: plan.segments,
        startedAt: started.getTime(),
      }),
    );
    if (queued > 0) {
      const accepted: BroadcastAccepted = { type: "broadcast-accepted", broadcastId, recipients: plan.recipients, segments: plan.segments, queued };
      const replied = await answer(accepted);
      const line = { ...log, broadcastId, ...plan, queued, reply: replied, durationMs: deps.clock.now() - started.getTime() };
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
  const replied = await answer(errorMessage("INTERNAL_ERROR", `The broadcast could not be ${stage}; nobody got it. Try again.`));
  deps.logger.error("broadcast not split", { ...log, stage, ...why, reply: replied });
  publish(deps.metrics, [[METRIC.broadcastsWithFailures, 1]]);
  return { statusCode: 500, body: `The broadcast could not be ${stage}.` };
}
