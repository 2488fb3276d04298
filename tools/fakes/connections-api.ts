import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  answerManagementRequest,
  errorAnswer,
  type ManagedConnection,
  type ManagementAnswer,
  type ManagementContext,
  MISSING_ROUTE,
  writeManagementAnswer,
} from "../gateway/management-api";
import { managementTarget } from "../gateway/management-path";
import { API_GATEWAY_LIMITS } from "../../lambdas/contract/api-gateway-limits";
import { RouteThrottle } from "../gateway/route-throttle";
import { LOCAL_AWS } from "./local-aws";

/** One request as the fake @connections API received it. */
export interface ReceivedRequest {
  readonly method: string;
  /** The raw request path, e.g. `/websocket/%40connections/abc%3D`. */
  readonly path: string;
  /** The decoded connection id from the path. */
  readonly connectionId: string;
  readonly headers: IncomingHttpHeaders;
}

export interface FakeConnectionsApiOptions {
  /** First path segment, the API mapping key (R3). @default "websocket" */
  readonly mappingKey?: string;
  /** Keep every request's method, path and headers (turn off for large benchmarks). @default true */
  readonly recordRequests?: boolean;
  /**
   * The account's PostToConnection quota as API Gateway applies it, a token bucket: past it a
   * request answers 429 LimitExceededException (AWS's default: 10,000/s, burst 5,000,
   * https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html).
   * @default no quota
   */
  readonly quota?: { readonly ratePerSecond: number; readonly burst: number };
  /** Keep the arrival time of every signed request, for {@link FakeConnectionsApi.peakRate}. @default false */
  readonly meterRate?: boolean;
}

/** A failure the fake answers with instead of serving a request. */
interface Fault {
  readonly status: number;
  readonly errorType: string;
  remaining: number;
}

/** An open connection: what the @connections protocol sees, and the messages posted to it. */
interface FakeConnection extends ManagedConnection {
  readonly messages: string[];
}

/**
 * A local HTTP server playing API Gateway's `@connections` management API
 * (`POST|GET|DELETE /<mappingKey>/@connections/<url-encoded id>`), for the real
 * `ApiGatewayManagementApiClient`. The protocol is the local gateway's own
 * (`answerManagementRequest`): SigV4 verified against {@link LOCAL_AWS} (a failure is 403 and
 * lands in `unsigned`), 410 GoneException for unknown ids, 413 above 128 KB, the status JSON.
 * On top, for tests and benchmarks: an account quota, injected faults and delays per id,
 * recorded requests and a rate meter. Listens on port 0.
 */
export class FakeConnectionsApi {
  /** The endpoint to configure: `http://127.0.0.1:<port>/<mappingKey>`. */
  readonly endpoint: string;
  /** Requests received, in order (empty when `recordRequests` is off). */
  readonly requests: ReceivedRequest[] = [];
  /** Requests that failed SigV4 verification against {@link LOCAL_AWS} (answered 403, as API Gateway does). */
  readonly unsigned: ReceivedRequest[] = [];
  private readonly open = new Map<string, FakeConnection>();
  private readonly faults = new Map<string, Fault>();
  private readonly delays = new Map<string, number>();
  private readonly notReading = new Set<string>();
  private posts = 0;
  /** The account's PostToConnection quota: API Gateway's token bucket, the local gateway's own (one bucket, "account"). */
  private readonly quota?: RouteThrottle;
  private readonly arrivals: number[] = [];
  private readonly context: ManagementContext = {
    lookup: (connectionId) => this.open.get(connectionId),
    maxMessageBytes: API_GATEWAY_LIMITS.maxMessageBytes,
    signing: LOCAL_AWS,
  };
  /** Requests answered 429 because the {@link FakeConnectionsApiOptions.quota} was exhausted. */
  throttledByQuota = 0;

  private constructor(
    private readonly server: Server,
    /** The API mapping key, the first path segment. */
    readonly mappingKey: string,
    private readonly recordRequests: boolean,
    private readonly options: FakeConnectionsApiOptions = {},
  ) {
    if (options.quota) this.quota = new RouteThrottle({ burstLimit: options.quota.burst, rateLimit: options.quota.ratePerSecond }, () => performance.now());
    const { port } = server.address() as AddressInfo;
    this.endpoint = `http://127.0.0.1:${port}/${mappingKey}`;
  }

  /** Starts a server on a free loopback port. */
  static async start(options: FakeConnectionsApiOptions = {}): Promise<FakeConnectionsApi> {
    const server = createServer();
    // Keep-alive sockets would hold close() open until they time out.
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const api = new FakeConnectionsApi(server, options.mappingKey ?? "websocket", options.recordRequests ?? true, options);
    // A request the client abandoned mid-body has nobody left to answer.
    server.on("request", (req, res) => void api.serve(req, res).catch(() => res.destroy()));
    return api;
  }

  /** Registers an open connection. */
  connect(connectionId: string): void {
    const connectedAt = Date.now();
    const messages: string[] = [];
    this.open.set(connectionId, {
      identity: { connectionId, connectedAt, sourceIp: "127.0.0.1", userAgent: "fake" },
      lastActiveAt: connectedAt,
      messages,
      // Open while registered: drop() and DELETE take it out of the map.
      isOpen: () => true,
      send: (data) => {
        if (this.notReading.has(connectionId)) return "full";
        messages.push(data);
        this.posts += 1;
        return "queued";
      },
      disconnect: () => this.open.delete(connectionId),
    });
  }

  /** Forgets a connection: from now on it answers 410 Gone, like a socket that closed without $disconnect. */
  drop(connectionId: string): void {
    this.open.delete(connectionId);
  }

  /**
   * `connectionId` stops reading: its client-side buffer is full, so a POST to it answers 429
   * LimitExceededException (the gateway's protocol), while GET and DELETE still work.
   */
  stopReading(connectionId: string): void {
    this.notReading.add(connectionId);
  }

  /** True while `connectionId` is open: registered, and neither dropped nor closed by a DELETE. */
  isOpen(connectionId: string): boolean {
    return this.open.has(connectionId);
  }

  /** Messages posted to `connectionId`, as UTF-8 strings. */
  received(connectionId: string): string[] {
    return this.open.get(connectionId)?.messages ?? [];
  }

  /** Number of successful POSTs so far. */
  get delivered(): number {
    return this.posts;
  }

  /** The next `times` requests for `connectionId` ("*" for any) answer 429 LimitExceededException. */
  throttle(connectionId: string, times: number): void {
    this.faults.set(connectionId, { status: 429, errorType: "LimitExceededException", remaining: times });
  }

  /** Every request for `connectionId` answers `status` (default 500 InternalServerError) until {@link heal}. */
  breakConnection(connectionId: string, status = 500, errorType = "InternalServerError"): void {
    this.faults.set(connectionId, { status, errorType, remaining: Number.POSITIVE_INFINITY });
  }

  /** Requests for `connectionId` ("*" for any) are answered `ms` later (a POST counts as delivered on arrival). */
  slowDown(connectionId: string, ms: number): void {
    this.delays.set(connectionId, ms);
  }

  /** Clears injected faults and delays for `connectionId`. */
  heal(connectionId: string): void {
    this.faults.delete(connectionId);
    this.delays.delete(connectionId);
  }

  /** The most signed requests that arrived within any `windowMs` (needs `meterRate`): what API Gateway's quota sees. */
  peakRate(windowMs = 1000): number {
    let peak = 0;
    for (let first = 0, last = 0; last < this.arrivals.length; last += 1) {
      while (this.arrivals[last] - this.arrivals[first] >= windowMs) first += 1;
      peak = Math.max(peak, last - first + 1);
    }
    return peak;
  }

  /** Takes one token from the quota's bucket, refilled at its rate up to its burst; false when empty. */
  private withinQuota(): boolean {
    return this.quota?.tryTake("account") ?? true;
  }

  /** Stops the server, closing idle keep-alive sockets. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
    this.server.closeAllConnections();
    await closed;
  }

  /** Answers one request through the gateway's @connections protocol, with this fake's quota, faults and delays. */
  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const connectionId = managementTarget(`/${this.mappingKey}`, (req.url ?? "/").split("?")[0]);
    if (connectionId === null || connectionId === undefined) {
      req.resume();
      writeManagementAnswer(res, MISSING_ROUTE);
      return;
    }
    const request = { method: req.method ?? "", path: req.url ?? "", connectionId, headers: req.headers };
    if (this.recordRequests) this.requests.push(request);
    let authentic = false;
    const answer = await answerManagementRequest(req, connectionId, {
      ...this.context,
      admit: (id) => {
        authentic = true;
        return this.admit(id);
      },
    });
    if (!authentic && answer.status === 403) this.unsigned.push(request);
    const send = () => {
      writeManagementAnswer(res, answer);
      req.resume();
    };
    const delayMs = this.delays.get(connectionId) ?? this.delays.get("*") ?? 0;
    // Unref'd: a slow answer nobody waits for any more must not hold the test process open.
    if (delayMs > 0) setTimeout(send, delayMs).unref();
    else send();
  }

  /** What API Gateway checks after the signature: the account's quota; then this fake's injected faults. */
  private admit(connectionId: string): ManagementAnswer | undefined {
    if (this.options.meterRate) this.arrivals.push(performance.now());
    if (!this.withinQuota()) {
      this.throttledByQuota += 1;
      return errorAnswer(429, "LimitExceededException", "Too Many Requests");
    }
    const fault = this.faults.get(connectionId) ?? this.faults.get("*");
    if (fault && fault.remaining > 0) {
      fault.remaining -= 1;
      return errorAnswer(fault.status, fault.errorType, fault.status === 429 ? "Too Many Requests" : "Injected failure");
    }
    return undefined;
  }
}
