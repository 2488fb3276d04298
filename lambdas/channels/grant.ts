import type { APIGatewayProxyWebsocketEventV2 } from "aws-lambda";
import { CHANNELS_CONTEXT_KEY, type ChannelGrant, isChannelPattern } from "../contract/channels";

/**
 * What the connection behind `event` may do with channels. `open` (auth off): everything. `claims`:
 * the patterns the `$connect` authorizer passed from the token's claim (JSON in the authorizer
 * context, which API Gateway hands to every route of the connection); none when absent or unreadable.
 */
export function grantOf(event: APIGatewayProxyWebsocketEventV2, access: "open" | "claims"): ChannelGrant {
  if (access === "open") return { open: true };
  const { authorizer } = event.requestContext as APIGatewayProxyWebsocketEventV2["requestContext"] & { authorizer?: Record<string, unknown> };
  const raw = authorizer?.[CHANNELS_CONTEXT_KEY];
  let patterns: unknown;
  try {
    patterns = typeof raw === "string" ? JSON.parse(raw) : [];
  } catch {
    patterns = [];
  }
  return { open: false, patterns: Array.isArray(patterns) ? patterns.filter(isChannelPattern) : [] };
}
