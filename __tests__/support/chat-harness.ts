import type { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import { Logger } from "@aws-lambda-powertools/logger";
import type { Metrics } from "@aws-lambda-powertools/metrics";
import type { APIGatewayProxyWebsocketEventV2 } from "aws-lambda";
import { type ClientTuning, createDocumentClient, createManagementClient } from "../../lambdas/base/clients";
import { SdkConnectionsApi } from "../../lambdas/base/connections-api";
import { type Clock, SYSTEM_CLOCK } from "../../lambdas/base/clock";
import { deadlineReserve } from "../../lambdas/base/deadline";
import type { DeadlineReserve } from "../../lambdas/base/deps";
import type { ChatDeps } from "../../lambdas/routes/deps";
import { createMetrics } from "../../lambdas/base/metrics";
import { METRICS_DEPLOYMENT_ENV } from "../../lambdas/contract/telemetry";
import { DynamoConnectionStore } from "../../lambdas/base/store";
import { buildEvent } from "../../tools/gateway/api-gateway-event";
import { LOCAL_AWS } from "../../tools/fakes/local-aws";

/** Short timeouts so a dead peer fails a test in well under a second. */
export const FAST: ClientTuning = { maxAttempts: 2, connectionTimeoutMs: 300, requestTimeoutMs: 1000 };

/**
 * Clients that wait 10 s per attempt: on a busy machine a post or a scan page can take over a
 * second, and a client that timed it out would send it again (the fake counts a post on arrival, so
 * a retry is a duplicate). For tests that count deliveries exactly; a test about a timeout sets its own tuning.
 */
export const PATIENT: ClientTuning = { maxAttempts: 2, connectionTimeoutMs: 5000, requestTimeoutMs: 10_000 };

export interface HarnessOptions {
  readonly dynamoEndpoint: string;
  readonly tableName: string;
  readonly managementEndpoint: string;
  readonly fanoutConcurrency?: number;
  readonly scanPageSize?: number;
  readonly dynamoTuning?: ClientTuning;
  readonly managementTuning?: ClientTuning;
  /** @default SYSTEM_CLOCK */
  readonly clock?: Clock;
  /** @default deadlineReserve(managementTuning), as the handlers derive it from their client's tuning */
  readonly deadlineReserve?: DeadlineReserve;
}

/** What the harness observed on the clients, through SDK middleware (no wrapping of the handlers). */
export interface ClientCounters {
  /** Scan requests sent (one per page). */
  scans: number;
  /** PostToConnection calls in flight now, and the most seen at once. */
  postsInFlight: number;
  maxPostsInFlight: number;
}

/** ChatDeps on real SDK clients pointed at the local peers, with a logger and metrics whose lines are kept. */
export function chatDeps(
  options: HarnessOptions,
): ChatDeps & { readonly logs: LogLines; readonly emf: EmfLines; readonly counters: ClientCounters; readonly managementClient: ApiGatewayManagementApiClient } {
  const logs = new LogLines();
  const emf = new EmfLines();
  const counters: ClientCounters = { scans: 0, postsInFlight: 0, maxPostsInFlight: 0 };
  const documents = createDocumentClient(options.dynamoTuning ?? FAST, { ...LOCAL_AWS, endpoint: options.dynamoEndpoint });
  documents.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === "ScanCommand") counters.scans += 1;
      return next(args);
    },
    { step: "initialize", name: "countScans" },
  );
  const managementClient = createManagementClient(options.managementEndpoint, options.managementTuning ?? FAST, LOCAL_AWS);
  managementClient.middlewareStack.add(
    (next) => async (args) => {
      counters.postsInFlight += 1;
      counters.maxPostsInFlight = Math.max(counters.maxPostsInFlight, counters.postsInFlight);
      try {
        return await next(args);
      } finally {
        counters.postsInFlight -= 1;
      }
    },
    { step: "initialize", name: "countInFlight" },
  );
  return {
    store: new DynamoConnectionStore(documents, options.tableName, { scanPageSize: options.scanPageSize }),
    connections: new SdkConnectionsApi(managementClient),
    managementClient,
    logger: logs.logger,
    metrics: emf.metrics,
    fanoutConcurrency: options.fanoutConcurrency ?? 32,
    clock: options.clock ?? SYSTEM_CLOCK,
    deadlineReserve: options.deadlineReserve ?? deadlineReserve(options.managementTuning ?? FAST),
    logs,
    emf,
    counters,
  };
}

/** The JSON lines a Powertools logger printed, captured instead of written to stdout. */
export class LogLines {
  readonly lines: Record<string, unknown>[] = [];
  readonly logger = new Logger({ serviceName: "chat-test", logLevel: "DEBUG" });

  constructor() {
    // Powertools prints through its own Console on process.stdout; route just this logger here.
    const print = (line: string): void => void this.lines.push(JSON.parse(line) as Record<string, unknown>);
    (this.logger as unknown as { console: Pick<Console, "info" | "warn" | "error" | "debug" | "log"> }).console = {
      info: print,
      warn: print,
      error: print,
      debug: print,
      log: print,
    };
  }

  /** The lines whose `message` is `message`. */
  withMessage(message: string): Record<string, unknown>[] {
    return this.lines.filter((line) => line.message === message);
  }
}

/** The EMF lines the handlers' real Powertools metrics printed (deployment "test"), captured instead of written to stdout. */
export class EmfLines {
  readonly lines: Record<string, unknown>[] = [];
  readonly metrics: Metrics = createMetrics({ [METRICS_DEPLOYMENT_ENV]: "test" });

  constructor() {
    // Metrics print through their own Console on process.stdout, as the logger does; route just these here.
    (this.metrics as unknown as { console: Pick<Console, "log"> }).console = {
      log: (line: string) => void this.lines.push(JSON.parse(line) as Record<string, unknown>),
    };
  }
}

/** A WebSocket event as API Gateway sends it (the local gateway's builder; only the fields the handlers read vary). */
export function wsEvent(
  routeKey: string,
  connectionId: string,
  body?: string,
  eventType: "CONNECT" | "MESSAGE" | "DISCONNECT" = "MESSAGE",
): APIGatewayProxyWebsocketEventV2 {
  return buildEvent({
    // R10: the stage and domain the event names are NOT where @connections lives behind CloudFront.
    api: { apiId: "api123", domainName: "must-not-be-used.execute-api.invalid", stage: "Prod" },
    connection: { connectionId, connectedAt: Date.now(), sourceIp: "127.0.0.1", userAgent: "jest" },
    routeKey,
    eventType,
    body: body === undefined ? undefined : { text: body, isBase64Encoded: false },
  });
}
