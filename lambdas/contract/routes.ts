import { CHANNEL_ACTIONS } from "./channels";

/** The action that broadcasts: `{"action":"sendmessage","data":"..."}` (R9). */
export const SEND_MESSAGE_ACTION = "sendmessage";

/** One route of the WebSocket API: which entry file handles it, and how long it may run. */
export interface ChatRoute {
  /** The handler's entry file, `lambdas/<entry>.ts` (exports `handler`); also names its function. */
  readonly entry: string;
  /** The function's timeout in seconds; never past API Gateway's 29 s integration timeout. */
  readonly timeoutSeconds: number;
}

/**
 * The API's routes (R9), the one table that the stack (functions, integrations, permissions), the
 * local gateway (route selection, the handlers' deadlines) and the benchmarks read.
 * sendmessage gets API Gateway's whole 29 s integration timeout
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html):
 * it stops starting posts in time to answer within it (lambdas/base/deadline.ts).
 */
export const CHAT_ROUTES = {
  $connect: { entry: "connect", timeoutSeconds: 10 },
  $disconnect: { entry: "disconnect", timeoutSeconds: 10 },
  [SEND_MESSAGE_ACTION]: { entry: "sendmessage", timeoutSeconds: 29 },
  $default: { entry: "default", timeoutSeconds: 10 },
  // Channels (lambdas/README.md, "Channels"): one function each, so each role holds only what its action needs.
  [CHANNEL_ACTIONS.subscribe]: { entry: "subscribe", timeoutSeconds: 10 },
  [CHANNEL_ACTIONS.unsubscribe]: { entry: "unsubscribe", timeoutSeconds: 10 },
  // publish delivers as sendmessage does, so it gets the same 29 s.
  [CHANNEL_ACTIONS.publish]: { entry: "publish", timeoutSeconds: 29 },
} as const satisfies Record<string, ChatRoute>;

export type RouteKey = keyof typeof CHAT_ROUTES;

/** How API Gateway picks a route: the `action` field of a JSON message; anything else goes to `$default`. */
export const ROUTE_SELECTION_EXPRESSION = "$request.body.action";

/** The routes a message can select by its `action` (every route key that is not a `$` built-in). */
export const MESSAGE_ROUTES: ReadonlySet<string> = new Set(Object.keys(CHAT_ROUTES).filter((key) => !key.startsWith("$")));

/** Handlers that no route invokes, by entry file (`lambdas/<entry>.ts`): the fan-out worker (fed by SQS). */
export const FANOUT_WORKER_ENTRY = "fanout-worker";
/** …and the `$connect` authorizer. */
export const AUTHORIZER_ENTRY = "authorizer";
