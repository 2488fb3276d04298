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

/** Lambda refused the invocation: its concurrency is exhausted (the Invoke API answers 429). */
export class ConcurrencyExhausted extends IntegrationError {
  override name = "ConcurrencyExhausted";
}

/** A route's function as the local gateway names it: `local-<entry>` (its context's `functionName`, and the Invoke API's). */
export function localFunctionName(routeKey: RouteKey): string {
  return `local-${CHAT_ROUTES[routeKey].entry}`;
}

/** What a direct invocation's function did: returned a result, or threw. */
export type DirectOutcome = { readonly result: unknown } | { readonly error: unknown };

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
    const { handlers, api, region } = this.options;
    const line = (outcome: string) => this.options.log(`${input.eventType.padEnd(10)} ${routeKey.padEnd(12)} ${input.connection.connectionId} -> ${outcome}`);
    const started = Date.now();
    const outcome = await this.run(line, () =>
      handlers[routeKey](
        buildEvent({ ...input, api, routeKey }),
        buildContext(localFunctionName(routeKey), region, CHAT_ROUTES[routeKey].timeoutSeconds * 1000),
      ),
    );
    if ("error" in outcome) {
      line(`threw: ${(outcome.error as Error)?.stack ?? String(outcome.error)}`);
      throw new IntegrationError(String(outcome.error));
    }
    const result = resultOf(outcome.result as APIGatewayProxyResultV2 | void);
    line(`${result.status} (${Date.now() - started} ms)`);
    return result;
  }

  /**
   * Invokes `routeKey`'s function with a caller's own payload, as the Lambda Invoke API does (no
   * API Gateway event): what it returned or threw. Rejects with ConcurrencyExhausted when throttled.
   */
  async invokeDirect(routeKey: RouteKey, payload: unknown): Promise<DirectOutcome> {
    const { handlers, region } = this.options;
    const name = localFunctionName(routeKey);
    const line = (outcome: string) => this.options.log(`${"INVOKE".padEnd(10)} ${name} -> ${outcome}`);
    const started = Date.now();
    // The function takes the caller's payload as its event (the publish function reads a backend's, lambdas/routes/server-publish.ts).
    const handler = handlers[routeKey] as unknown as (event: unknown, context: ReturnType<typeof buildContext>) => Promise<unknown>;
    const outcome = await this.run(line, () => handler(payload, buildContext(name, region, CHAT_ROUTES[routeKey].timeoutSeconds * 1000)));
    line("error" in outcome ? `threw: ${String(outcome.error)}` : `returned (${Date.now() - started} ms)`);
    return outcome;
  }

  /** Runs one invocation within the concurrency, counted in flight until it ends. */
  private async run(line: (outcome: string) => void, call: () => Promise<unknown>): Promise<DirectOutcome> {
    const { maxConcurrentInvocations } = this.options;
    if (this.inFlight.size >= maxConcurrentInvocations) {
      line(`throttled: ${maxConcurrentInvocations} invocations already running`);
      throw new ConcurrencyExhausted(`Lambda concurrency (${maxConcurrentInvocations}) exhausted`);
    }
    const running = call();
    this.inFlight.add(running);
    try {
      return { result: await running };
    } catch (error) {
      return { error };
    } finally {
      this.inFlight.delete(running);
    }
  }

  /** Waits until no invocation is running. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
