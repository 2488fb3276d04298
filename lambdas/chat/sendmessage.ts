import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from "aws-lambda";
import { forEachBounded } from "./bounded";
import { errorName, isGone, postToConnection } from "./connections-api";
import type { ChatDeps } from "./deps";
import { errorMessage, parseSendMessage } from "./messages";
import { reply } from "./reply";

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
}

/**
 * `sendmessage` (R9): posts the raw `data` string to every stored connection, the sender included
 * (so wscat echoes "hello world"). Reads the table page by page and keeps at most
 * `fanoutConcurrency` posts in flight; a 410 deletes THAT recipient; other failures are counted
 * and do not stop the rest. The sender gets a `{"type":"error"}` answer for bad input, for a
 * partial delivery and for an aborted broadcast.
 */
export async function sendMessage(deps: ChatDeps, event: APIGatewayProxyWebsocketEventV2): Promise<APIGatewayProxyResultV2> {
  const { connectionId, requestId } = event.requestContext;
  const started = Date.now();
  const request = parseSendMessage(event.body, event.isBase64Encoded);
  if (!request.ok) {
    const outcome = await reply(deps, connectionId, request.error);
    deps.logger.warn("message rejected", { connectionId, requestId, code: request.error.code, reply: outcome });
    return { statusCode: 400, body: request.error.message };
  }

  const { data } = request.value;
  const tally: BroadcastTally = { delivered: 0, pruned: 0, failed: 0, failures: {} };
  const fail = (name: string): void => {
    tally.failed += 1;
    tally.failures[name] = (tally.failures[name] ?? 0) + 1;
  };
  const deliver = async (recipient: string): Promise<void> => {
    try {
      await postToConnection(deps.connections, recipient, data);
      tally.delivered += 1;
    } catch (error) {
      if (!isGone(error)) return fail(errorName(error));
      try {
        // The sample deleted the SENDER here; the stale id is the recipient's.
        await deps.store.remove(recipient);
        tally.pruned += 1;
      } catch (pruneError) {
        fail(`prune:${errorName(pruneError)}`);
      }
    }
  };

  const summary = { connectionId, requestId, bytes: Buffer.byteLength(data, "utf8") };
  try {
    await forEachBounded(deps.store.connectionIds(deps.now()), deps.fanoutConcurrency, deliver);
  } catch (error) {
    // Reading the table failed part-way: some recipients got the message, the rest cannot be known.
    const outcome = await reply(deps, connectionId, errorMessage("INTERNAL_ERROR", `The broadcast stopped after ${tally.delivered} deliveries: the connection list could not be read.`));
    deps.logger.error("broadcast aborted", { ...summary, ...tally, error: errorName(error), detail: String(error), reply: outcome, durationMs: Date.now() - started });
    return { statusCode: 500, body: "The connection list could not be read." };
  }

  if (tally.failed > 0) {
    const outcome = await reply(deps, connectionId, errorMessage("PARTIAL_DELIVERY", `Delivered to ${tally.delivered} connections; ${tally.failed} could not be reached.`));
    deps.logger.warn("broadcast partly failed", { ...summary, ...tally, reply: outcome, durationMs: Date.now() - started });
    return { statusCode: 502, body: JSON.stringify({ delivered: tally.delivered, pruned: tally.pruned, failed: tally.failed }) };
  }
  deps.logger.info("broadcast", { ...summary, ...tally, durationMs: Date.now() - started });
  return { statusCode: 200, body: JSON.stringify({ delivered: tally.delivered, pruned: tally.pruned, failed: 0 }) };
}
