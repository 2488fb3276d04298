import type { APIGatewayProxyResultV2 } from "aws-lambda";
import { CHAT_ROUTES, type RouteKey } from "../../lambdas/contract/routes";
import { buildContext, buildEvent, type ApiDescription, type EventInput } from "./api-gateway-event";
import type { ChatHandlers } from "./handlers";

/** What a route's integration answered: its status and headers (a `$connect` may choose a subprotocol). */
export interface IntegrationResult {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
}

/** The integration failed: the handler threw, or Lambda refused to run it. API Gateway answers this itself. */
export class IntegrationError extends Error {
  override name = "IntegrationError";
}

export interface InvokerOptions {
  readonly handlers: ChatHandlers;
  readonly api: ApiDescription;
  readonly region: string;
  /** Invocations allowed at once, all routes together (Lambda's concurrency); beyond it Lambda throttles. */
  readonly maxConcurrentInvocations: number;
  readonly log: (line: string) => void;
}

function resultOf(result: APIGatewayProxyResultV2 | void): IntegrationResult {
  if (result === undefined || typeof result === "string") return { status: 200, headers: {} };
  const { statusCode, headers } = result as { statusCode?: number; headers?: Record<string, unknown> };
  return {
    status: statusCode ?? 200,
    headers: Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)])),
  };
}

/**
 * Runs the real handlers as API Gateway's Lambda proxy integration does: one event per route
 * invocation, at most `maxConcurrentInvocations` at once. Lambda refuses an invocation beyond its
 * concurrency with 429 before the code runs, and API Gateway turns that into an integration
 * failure (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html: 1,000
 * concurrent executions per account and Region by default).
 */
export class RouteInvoker {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: InvokerOptions) {}

  /** Invokes `routeKey`'s handler; rejects with IntegrationError when it throws or is throttled. */
  async invoke(routeKey: RouteKey, input: Omit<EventInput, "api" | "routeKey">): Promise<IntegrationResult> {
    const { handlers, api, region, maxConcurrentInvocations, log } = this.options;
    const line = (outcome: string) => log(`${input.eventType.padEnd(10)} ${routeKey.padEnd(12)} ${input.connection.connectionId} -> ${outcome}`);
    if (this.inFlight.size >= maxConcurrentInvocations) {
      line(`throttled: ${maxConcurrentInvocations} invocations already running`);
      throw new IntegrationError(`Lambda concurrency (${maxConcurrentInvocations}) exhausted`);
    }
    const started = Date.now();
    const call = handlers[routeKey](
      buildEvent({ ...input, api, routeKey }),
      buildContext(`local-${CHAT_ROUTES[routeKey].entry}`, region, CHAT_ROUTES[routeKey].timeoutSeconds * 1000),
    );
    this.inFlight.add(call);
    try {
      const result = resultOf(await call);
      line(`${result.status} (${Date.now() - started} ms)`);
      return result;
    } catch (error) {
      line(`threw: ${(error as Error)?.stack ?? String(error)}`);
      throw new IntegrationError(String(error));
    } finally {
      this.inFlight.delete(call);
    }
  }

  /** Waits until no invocation is running. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
