import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2, Context } from "aws-lambda";
import { invocationDeadlines } from "../base/deadline";
import type { ChatDeps } from "./deps";
import { broadcastFrames, senderOf } from "../base/frames";
import { type ErrorMessage, oversizeRefusal, parseSendMessage } from "../base/messages";
import { reply } from "../base/reply";
import { everyone } from "../delivery/audience";
import { broadcast } from "../fanout/broadcast";
import { checkMessageRate } from "../rate/check";

/**
 * `sendmessage` (R9): posts `data` to every stored connection, the sender included, encoded for
 * the protocol version each one negotiated (frames.ts): the raw string for version 1 and for
 * clients that offered no subprotocol (so wscat echoes "hello world"), a typed `chat` frame naming
 * the sender for version 2. The delivery itself (one read of a small table, the split path above
 * the inline limit, the deadlines before API Gateway's 29 s) is fanout/broadcast.ts's, shared
 * with the channels' publish. The sender gets a `{"type":"error"}` answer for bad input too.
 */
export async function sendMessage(deps: ChatDeps, event: APIGatewayProxyWebsocketEventV2, context?: Context): Promise<APIGatewayProxyResultV2> {
  const { connectionId, requestId } = event.requestContext;
  const limited = await checkMessageRate(deps, connectionId, requestId);
  if (limited) return limited;
  const request = parseSendMessage(event.body, event.isBase64Encoded);
  if (!request.ok) return rejected(deps, event, request.error);
  const { data } = request.value;
  const sender = senderOf(event);
  const frames = broadcastFrames(data, sender);
  const oversize = oversizeRefusal(frames);
  if (oversize) return rejected(deps, event, oversize);

  return broadcast(deps, everyone(deps.store), { requestId, data, frames, sender }, invocationDeadlines(deps, event, context));
}

/** Answers the sender why its message was not sent (nothing is broadcast): 400. */
async function rejected(deps: ChatDeps, event: APIGatewayProxyWebsocketEventV2, error: ErrorMessage): Promise<APIGatewayProxyResultV2> {
  const { connectionId, requestId } = event.requestContext;
  const outcome = await reply(deps, connectionId, error);
  deps.logger.warn("message rejected", { connectionId, requestId, code: error.code, reply: outcome });
  return { statusCode: 400, body: error.message };
}
