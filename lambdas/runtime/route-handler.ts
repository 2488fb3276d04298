import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2, Context } from "aws-lambda";
import { type ChatSettings, readSettings } from "../contract/settings";
import { ChannelMembers } from "../channels/members";
import { SYSTEM_CLOCK } from "../base/clock";
import { createDocumentClient, createManagementClient, MANAGEMENT_TUNING } from "../base/clients";
import { SdkConnectionsApi } from "../base/connections-api";
import { deadlineReserve } from "../base/deadline";
import type { ChatDeps } from "../routes/deps";
import { createLogger } from "../base/logger";
import { createMetrics } from "../base/metrics";
import { DynamoConnectionStore } from "../base/store";

/** A handler's logic: deps, a typed event and the Lambda context (if any) in, the route's result out. */
export type ChatLogic<E = APIGatewayProxyWebsocketEventV2, R = APIGatewayProxyResultV2> = (deps: ChatDeps, event: E, context?: Context) => Promise<R>;

/** A Lambda entry point. */
export type ChatHandler<E = APIGatewayProxyWebsocketEventV2, R = APIGatewayProxyResultV2> = (event: E, context?: Context) => Promise<R>;

/** What the chat deps are built from, for a route's extras to reuse: the settings and the one DynamoDB client. */
export interface ChatPeers {
  readonly settings: ChatSettings;
  readonly documents: DynamoDBDocumentClient;
}

/** Real clients and settings built from `env`; throws at cold start when a setting is wrong. */
function createChatDeps(env: NodeJS.ProcessEnv, { settings, documents }: ChatPeers): ChatDeps {
  return {
    store: new DynamoConnectionStore(documents, settings.tableName),
    // Enough sockets for the whole fan-out, so posts do not queue behind the agent.
    connections: new SdkConnectionsApi(
      createManagementClient(settings.managementEndpoint, {
        ...MANAGEMENT_TUNING,
        maxSockets: Math.max(50, settings.fanoutConcurrency),
      }),
    ),
    logger: createLogger(),
    metrics: createMetrics(env),
    fanoutConcurrency: settings.fanoutConcurrency,
    clock: SYSTEM_CLOCK,
    ...(settings.membersTable === undefined ? {} : { members: new ChannelMembers(documents, settings.membersTable, settings.tableName) }),
    channelAccess: settings.channelAccess ?? "open",
    deadlineReserve: deadlineReserve(MANAGEMENT_TUNING),
  };
}

/**
 * Wires `logic` to clients built ONCE from the environment (module load = Lambda cold start), so
 * warm invocations reuse connections. `context` is optional so a local server may omit it. `more`
 * adds what one route alone needs (sendmessage's queue client), so the other zips do without it.
 */
export function lambdaHandler<E = APIGatewayProxyWebsocketEventV2, R = APIGatewayProxyResultV2>(
  logic: ChatLogic<E, R>,
  env: NodeJS.ProcessEnv = process.env,
  more?: (env: NodeJS.ProcessEnv, peers: ChatPeers) => Partial<ChatDeps>,
): ChatHandler<E, R> {
  const peers: ChatPeers = { settings: readSettings(env), documents: createDocumentClient() };
  const deps = { ...createChatDeps(env, peers), ...more?.(env, peers) };
  return async (event, context) => {
    if (context) deps.logger.addContext(context);
    return logic(deps, event, context);
  };
}
