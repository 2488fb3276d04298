import type { APIGatewayAuthorizerResult, APIGatewayProxyResultV2, APIGatewayRequestAuthorizerEvent, Context } from "aws-lambda";
import { MESSAGE_ROUTES, type RouteKey } from "../../lambdas/contract/routes";
import type { WebSocketEvent } from "./api-gateway-event";

/** One Lambda entry point as the local gateway calls it. */
export type RouteHandler = (event: WebSocketEvent, context: Context) => Promise<APIGatewayProxyResultV2 | void>;

/** The routes of lambdas/contract/routes.ts (as the stack wires them), each to its entry file's handler. */
export type ChatHandlers = Readonly<Record<RouteKey, RouteHandler>>;

/**
 * API Gateway's route selection with `$request.body.action`: a JSON object whose `action` names a
 * route goes there; anything else (other actions, non-JSON text, binary) goes to `$default`.
 */
export function selectRoute(body: string | undefined): RouteKey {
  if (body === undefined) return "$default";
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === "object" && parsed !== null && "action" in parsed) {
      const action = (parsed as { action: unknown }).action;
      if (typeof action === "string" && MESSAGE_ROUTES.has(action)) return action as RouteKey;
    }
  } catch {
    // not JSON: API Gateway falls back to $default as well
  }
  return "$default";
}

/**
 * Handler settings that keep only the handlers' errors: their Powertools logger reads its level at
 * module load (lambdas/base/logger.ts), and Powertools metrics print no EMF lines
 * (POWERTOOLS_METRICS_DISABLED). `npm run dev -- --quiet` and the tests use it.
 */
export const QUIET_HANDLERS = { POWERTOOLS_LOG_LEVEL: "ERROR", POWERTOOLS_METRICS_DISABLED: "true" } as const;

/** The `$connect` authorizer's entry point as the local gateway calls it. */
export type AuthorizerFunction = (event: APIGatewayRequestAuthorizerEvent, context: Context) => Promise<APIGatewayAuthorizerResult>;

/** Loads lambdas/authorizer.ts; call after {@link loadHandlers} has put its settings (AUTH_*) into `process.env`. */
export async function loadAuthorizer(): Promise<AuthorizerFunction> {
  return (await import("../../lambdas/authorizer")).handler;
}

let loadedWith: string | undefined;

/**
 * Loads the real handlers after putting their settings into `process.env`: they read it once, at
 * module load, as in Lambda. Hence one local gateway per process: a second one with other
 * settings would silently use the first one's table and endpoint, so it is refused.
 */
export async function loadHandlers(env: Readonly<Record<string, string>>): Promise<ChatHandlers> {
  const key = JSON.stringify(env);
  if (loadedWith !== undefined && loadedWith !== key) {
    throw new Error(
      "the handlers were already loaded in this process with other settings (they read process.env once, at module load); start one local gateway per process",
    );
  }
  Object.assign(process.env, env);
  loadedWith = key;
  // Static specifiers (one per entry of CHAT_ROUTES), so that esbuild bundles the handlers into dist/ and loads them lazily.
  const [connect, disconnect, fallback, sendmessage, subscribe, unsubscribe, publish] = await Promise.all([
    import("../../lambdas/connect"),
    import("../../lambdas/disconnect"),
    import("../../lambdas/default"),
    import("../../lambdas/sendmessage"),
    import("../../lambdas/subscribe"),
    import("../../lambdas/unsubscribe"),
    import("../../lambdas/publish"),
  ]);
  return {
    $connect: connect.handler as RouteHandler,
    $disconnect: disconnect.handler as RouteHandler,
    $default: fallback.handler as RouteHandler,
    sendmessage: sendmessage.handler as RouteHandler,
    subscribe: subscribe.handler as RouteHandler,
    unsubscribe: unsubscribe.handler as RouteHandler,
    publish: publish.handler as RouteHandler,
  };
}
