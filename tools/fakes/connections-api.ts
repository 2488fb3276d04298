import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { checkSigV4Shape } from "../gateway/sigv4-shape";

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

/**
 * A local HTTP server playing API Gateway's `@connections` management API
 * (`POST|GET|DELETE /<mappingKey>/@connections/<url-encoded id>`), for the real
 * `ApiGatewayManagementApiClient`. Unknown ids answer 410 with `x-amzn-errortype: GoneException`,
 * as API Gateway does; throttling and other faults can be injected per id. Listens on port 0.
 */
export class FakeConnectionsApi {
  /** The endpoint to configure: `http://127.0.0.1:<port>/<mappingKey>`. */
  readonly endpoint: string;
  /** Requests received, in order (empty when `recordRequests` is off). */
  readonly requests: ReceivedRequest[] = [];
  /** Requests that arrived without a well-formed SigV4 Authorization for this host and path. */
  readonly unsigned: ReceivedRequest[] = [];
  private readonly open = new Map<string, { connectedAt: Date; messages: string[] }>();
  private readonly faults = new Map<string, Fault>();
  private readonly delays = new Map<string, number>();
  private posts = 0;
  private quotaTokens = 0;
  private quotaRefilledAt = performance.now();
  private readonly arrivals: number[] = [];
  /** Requests answered 429 because the {@link FakeConnectionsApiOptions.quota} was exhausted. */
  throttledByQuota = 0;

  private constructor(
    private readonly server: Server,
    readonly mappingKey: string,
    private readonly recordRequests: boolean,
    private readonly options: FakeConnectionsApiOptions = {},
  ) {
    this.quotaTokens = options.quota?.burst ?? 0;
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
    server.on("request", (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const answer = api.handle(req.method ?? "", req.url ?? "", req.headers, Buffer.concat(chunks));
        const send = () => {
          res.writeHead(answer.status, answer.headers);
          res.end(answer.body);
        };
        // Unref'd: a slow answer nobody waits for any more must not hold the test process open.
        if (answer.delayMs > 0) setTimeout(send, answer.delayMs).unref();
        else send();
      });
    });
    return api;
  }

  /** Registers an open connection. */
  connect(connectionId: string): void {
    this.open.set(connectionId, { connectedAt: new Date(), messages: [] });
  }

  /** Forgets a connection: from now on it answers 410 Gone, like a socket that closed without $disconnect. */
  drop(connectionId: string): void {
    this.open.delete(connectionId);
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
    const { quota } = this.options;
    if (!quota) return true;
    const now = performance.now();
    this.quotaTokens = Math.min(quota.burst, this.quotaTokens + ((now - this.quotaRefilledAt) * quota.ratePerSecond) / 1000);
    this.quotaRefilledAt = now;
    if (this.quotaTokens < 1) return false;
    this.quotaTokens -= 1;
    return true;
  }

  /** Stops the server, closing idle keep-alive sockets. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
    this.server.closeAllConnections();
    await closed;
  }

  /** The decoded connection id of a `/<mappingKey>/@connections/<id>` path, if it is one. */
  private connectionIdOf(path: string): string | undefined {
    const prefix = `/${this.mappingKey}/@connections/`;
    // The SDK percent-encodes "@" in the path; API Gateway accepts both spellings.
    const normalized = path.replace(/^(\/[^/]+\/)%40/i, "$1@");
    return normalized.startsWith(prefix) ? decodeURIComponent(normalized.slice(prefix.length)) : undefined;
  }

  private handle(method: string, path: string, headers: IncomingHttpHeaders, body: Buffer): { status: number; headers: Record<string, string>; body?: string; delayMs: number } {
    const connectionId = this.connectionIdOf(path);
    const delayMs = (connectionId === undefined ? undefined : this.delays.get(connectionId)) ?? this.delays.get("*") ?? 0;
    return { ...this.answer(method, path, connectionId, headers, body), delayMs };
  }

  private answer(method: string, path: string, connectionId: string | undefined, headers: IncomingHttpHeaders, body: Buffer): { status: number; headers: Record<string, string>; body?: string } {
    if (connectionId === undefined) return error(404, "NotFoundException", `No route for ${path}`);
    const request = { method, path, connectionId, headers };
    if (this.recordRequests) this.requests.push(request);
    if (!isSignedFor(headers, this.server.address() as AddressInfo)) {
      this.unsigned.push(request);
      return error(403, "ForbiddenException", "Missing Authentication Token");
    }

    if (this.options.meterRate) this.arrivals.push(performance.now());
    if (!this.withinQuota()) {
      this.throttledByQuota += 1;
      return error(429, "LimitExceededException", "Too Many Requests");
    }

    const fault = this.faults.get(connectionId) ?? this.faults.get("*");
    if (fault && fault.remaining > 0) {
      fault.remaining -= 1;
      return error(fault.status, fault.errorType, fault.status === 429 ? "Too Many Requests" : "Injected failure");
    }

    const connection = this.open.get(connectionId);
    if (!connection) return error(410, "GoneException", null);
    switch (method) {
      case "POST":
        connection.messages.push(body.toString("utf8"));
        this.posts += 1;
        return { status: 200, headers: {} };
      case "GET":
        return json(200, {
          ConnectedAt: connection.connectedAt.toISOString(),
          LastActiveAt: connection.connectedAt.toISOString(),
          Identity: { SourceIp: "127.0.0.1", UserAgent: "fake" },
        });
      case "DELETE":
        this.open.delete(connectionId);
        return { status: 204, headers: {} };
      default:
        return error(405, "MethodNotAllowed", `${method} is not allowed`);
    }
  }
}

/**
 * SigV4 shape, as API Gateway's front door checks it before anything else (the local gateway's
 * check), plus: x-amz-date among the signed headers, and a Host header naming this server (so a
 * signature made for another host cannot match).
 */
function isSignedFor(headers: IncomingHttpHeaders, address: AddressInfo): boolean {
  return (
    checkSigV4Shape(headers) === undefined &&
    /SignedHeaders=([a-z0-9-]+;)*x-amz-date[;,]/.test(headers.authorization ?? "") &&
    headers.host === `127.0.0.1:${address.port}`
  );
}

function error(status: number, errorType: string, message: string | null) {
  return { ...json(status, { message }), headers: { "content-type": "application/json", "x-amzn-errortype": errorType } };
}

function json(status: number, value: unknown) {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify(value) };
}
