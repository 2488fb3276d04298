import type { APIGatewayProxyWebsocketEventV2, Context } from "aws-lambda";
import { type ClientTuning, DEFAULT_REQUEST_TIMEOUT_MS, MANAGEMENT_TUNING } from "./clients";
import { API_GATEWAY_LIMITS } from "../contract/api-gateway-limits";
import type { Clock } from "./clock";
import type { BaseDeps, DeadlineReserve } from "./deps";

/**
 * API Gateway waits at most 29 s for a WebSocket route's integration, and the quota cannot be
 * raised ("Integration timeout: 50 milliseconds - 29 seconds for all integration types",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html).
 * Counted from `requestContext.requestTimeEpoch`, when API Gateway received the message, so a
 * cold start's init time is already spent.
 */
export const INTEGRATION_TIMEOUT_MS = API_GATEWAY_LIMITS.integrationTimeoutMs;

/** Which limit ends a broadcast first. */
export type DeadlineSource = "api-gateway" | "lambda";

/** When a broadcast must wind down, in epoch milliseconds. */
export interface BroadcastDeadlines {
  /** No post starts at or after this instant. */
  readonly stopStarting: number;
  /** Posts (and prunes) still in flight are aborted at this instant, retries included. */
  readonly abortInFlight: number;
  /** The answer to the sender is abandoned at this instant; the handler returns right after. */
  readonly answerBy: number;
  /** The limit these were counted back from. */
  readonly source: DeadlineSource;
}

/** What the deadlines are computed from. */
export interface DeadlineInputs {
  /** The handler's clock, epoch ms. */
  readonly now: number;
  /** `event.requestContext.requestTimeEpoch`: when API Gateway received the message; absent for a function API Gateway does not wait for (the fan-out worker). */
  readonly requestTimeEpoch?: number;
  /** `context.getRemainingTimeInMillis()`: absent when a local server passes no Lambda context. */
  readonly remainingTimeMs?: number;
}

/**
 * The reserve for a @connections client tuned with `tuning`. One attempt's request timeout
 * (3 s by default) for the posts in flight: a post started just before the stop finishes its
 * current attempt (a healthy post takes milliseconds), and the abort cuts its retries, because
 * waiting for those (4 attempts x 3 s plus up to 3.5 s of backoff = 15.5 s) would halve the time
 * left for posting. One more attempt's timeout for each answer after the posts (`answers`: the
 * sender's answer, a single small post; the fan-out worker also gives its job back to SQS). And
 * 500 ms to log, return and absorb the skew between API Gateway's clock and Lambda's.
 * With the defaults and one answer: 6.5 s, so sendmessage starts posts for at most 22.5 s after the message arrived.
 */
export function deadlineReserve(tuning: ClientTuning, answers = 1): DeadlineReserve {
  const attemptMs = tuning.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return { drainMs: attemptMs, answerMs: answers * attemptMs, returnMs: 500 };
}

/**
 * The deadlines: counted back by `reserve` from whichever ends first, API Gateway's integration
 * timeout (when API Gateway waits: `requestTimeEpoch`) or the function's own timeout. Without
 * either input, the integration timeout is counted from `now`.
 */
export function broadcastDeadlines(inputs: DeadlineInputs, reserve: DeadlineReserve): BroadcastDeadlines {
  const lambdaEnd = inputs.remainingTimeMs === undefined ? Number.POSITIVE_INFINITY : inputs.now + inputs.remainingTimeMs;
  const waited = inputs.requestTimeEpoch !== undefined || inputs.remainingTimeMs === undefined;
  const apiGatewayEnd = waited ? (inputs.requestTimeEpoch ?? inputs.now) + INTEGRATION_TIMEOUT_MS : Number.POSITIVE_INFINITY;
  const source: DeadlineSource = lambdaEnd < apiGatewayEnd ? "lambda" : "api-gateway";
  const answerBy = Math.min(apiGatewayEnd, lambdaEnd) - reserve.returnMs;
  const abortInFlight = answerBy - reserve.answerMs;
  return { stopStarting: abortInFlight - reserve.drainMs, abortInFlight, answerBy, source };
}

/** The deadlines as signals of the handler's clock: one model for sendmessage, the channel routes and the fan-out worker. */
export interface DeadlineSignals {
  readonly instants: BroadcastDeadlines;
  /** Aborts when no post may start any more. */
  readonly stopStarting: AbortSignal;
  /** Aborts the posts (and prunes) still in flight, retries included. */
  readonly abortInFlight: AbortSignal;
  /** Abandons the answers after the posts. */
  readonly answerBy: AbortSignal;
}

/** The signals of `instants` on `clock`. */
export function deadlineSignals(instants: BroadcastDeadlines, clock: Clock): DeadlineSignals {
  return {
    instants,
    stopStarting: clock.signalAt(instants.stopStarting),
    abortInFlight: clock.signalAt(instants.abortInFlight),
    answerBy: clock.signalAt(instants.answerBy),
  };
}

/**
 * The deadlines of one invocation: from when API Gateway received the message (`event`; none for a
 * backend's direct invocation, which API Gateway is not waiting for), the Lambda context (absent
 * locally without one) and the deps' reserve. A route that only answers its caller (`$default`)
 * needs `answerBy` alone: a hung @connections peer must not hold it past its own timeout.
 */
export function invocationDeadlines(
  deps: Pick<BaseDeps, "clock" | "deadlineReserve">,
  event: APIGatewayProxyWebsocketEventV2 | undefined,
  context?: Context,
): DeadlineSignals {
  const instants = broadcastDeadlines(
    { now: deps.clock.now(), requestTimeEpoch: event?.requestContext.requestTimeEpoch, remainingTimeMs: context?.getRemainingTimeInMillis() },
    deps.deadlineReserve ?? deadlineReserve(MANAGEMENT_TUNING),
  );
  return deadlineSignals(instants, deps.clock);
}
