import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  PostToConnectionCommand,
} from "@aws-sdk/client-apigatewaymanagementapi";
import { WebSocket, type RawData } from "ws";
import { hintFor, type FailureEvidence } from "./hints";

export interface SmokeOptions {
  /** The deployment's base URL: `https://<domain>` (or `http://127.0.0.1:8080` for `npm run dev`). */
  readonly url: string;
  /** API mapping key: the path of the socket and of @connections (R3). @default "websocket" */
  readonly mappingKey?: string;
  /** Region for SigV4. @default AWS_REGION, else "ap-northeast-1" */
  readonly region?: string;
  /** Credentials for the @connections calls. @default the SDK's default credential chain */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  /** Time each step may take. @default 10000 ms */
  readonly stepTimeoutMs?: number;
  /** Called as each step ends, for live output. */
  readonly onStep?: (step: StepResult) => void;
}

export type StepName = "site" | "connect" | "echo" | "whoami" | "status" | "post" | "delete";

export interface StepResult {
  readonly name: StepName;
  readonly outcome: "pass" | "fail" | "skip";
  /** Wall time of the step. */
  readonly ms: number;
  /** What was checked or seen. */
  readonly detail: string;
  /** HTTP status of the failing call, when there was one. */
  readonly status?: number;
  /** Known cause of the failure (see hints.ts). */
  readonly hint?: string;
}

export interface SmokeResult {
  readonly ok: boolean;
  readonly url: string;
  readonly websocketUrl: string;
  readonly managementEndpoint: string;
  readonly connectionId?: string;
  readonly steps: StepResult[];
}

/** A step's failure with the evidence for its hint. */
class StepFailure extends Error {
  constructor(message: string, readonly evidence: FailureEvidence = {}) {
    super(message);
  }
}

/** Turns an SDK or network error into evidence: HTTP status, error name, message. */
function evidenceOf(error: unknown): FailureEvidence {
  if (error instanceof StepFailure) return { ...error.evidence, message: error.evidence.message ?? error.message };
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; cause?: { code?: string }; code?: string };
  const code = e.code ?? e.cause?.code;
  return {
    status: e.$metadata?.httpStatusCode,
    errorName: e.name,
    message: [e.message, code].filter(Boolean).join(" "),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepFailure(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The socket plus a queue of what arrived on it, so a step can wait for one message. */
class SocketProbe {
  private readonly received: string[] = [];
  private waiters: Array<() => void> = [];
  closeCode?: number;
  closeReason = "";
  readonly closed: Promise<number>;

  constructor(readonly socket: WebSocket) {
    socket.on("message", (data: RawData) => {
      this.received.push(Buffer.isBuffer(data) ? data.toString("utf8") : Buffer.from(data as ArrayBuffer).toString("utf8"));
      this.wake();
    });
    this.closed = new Promise((resolve) => {
      socket.on("close", (code: number, reason: Buffer) => {
        this.closeCode = code;
        this.closeReason = reason.toString("utf8");
        this.wake();
        resolve(code);
      });
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves with the first message (already received or coming) that `matches`; others stay queued. */
  async next<T>(matches: (text: string) => T | undefined, ms: number, what: string): Promise<T> {
    const search = async (): Promise<T> => {
      for (;;) {
        for (let i = 0; i < this.received.length; i += 1) {
          const hit = matches(this.received[i]);
          if (hit !== undefined) {
            this.received.splice(i, 1);
            return hit;
          }
        }
        if (this.closeCode !== undefined) {
          throw new StepFailure(`the socket closed (${this.closeCode}${this.closeReason ? ` ${this.closeReason}` : ""}) before ${what} arrived`, {
            closeCode: this.closeCode,
          });
        }
        await new Promise<void>((resolve) => this.waiters.push(resolve));
      }
    };
    return withTimeout(search(), ms, what);
  }
}

function openSocket(url: string, ms: number): Promise<WebSocket> {
  return withTimeout(
    new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(url, { handshakeTimeout: ms });
      socket.once("open", () => resolve(socket));
      socket.once("unexpected-response", (_req, res) => {
        const location = res.headers.location ? ` -> ${res.headers.location}` : "";
        reject(new StepFailure(`handshake answered HTTP ${res.statusCode}${location}`, { status: res.statusCode }));
        socket.terminate();
      });
      socket.once("error", (error) => reject(error));
    }),
    ms,
    "the WebSocket handshake",
  );
}

/** Reads `{"type":"usage","connectionId":"..."}`, what `$default` sends its caller. */
function usageConnectionId(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { type?: unknown; connectionId?: unknown };
    return parsed.type === "usage" && typeof parsed.connectionId === "string" ? parsed.connectionId : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The source document's post-deploy checks (R11, R12), in order: the page, the socket, a
 * broadcast echo, the caller's connection id via `$default`, then @connections GET, POST and
 * DELETE with the real SDK client (SigV4) at `<url>/<mappingKey>`. A step that cannot run
 * because an earlier one failed is skipped.
 */
export async function runSmoke(options: SmokeOptions): Promise<SmokeResult> {
  const mappingKey = options.mappingKey ?? "websocket";
  const region = options.region ?? process.env.AWS_REGION ?? "ap-northeast-1";
  const ms = options.stepTimeoutMs ?? 10_000;
  const base = new URL(options.url);
  if (base.protocol !== "https:" && base.protocol !== "http:") {
    throw new Error(`--url must be http:// or https://, got ${options.url}`);
  }
  const origin = base.origin;
  const websocketUrl = `${base.protocol === "https:" ? "wss:" : "ws:"}//${base.host}/${mappingKey}`;
  const managementEndpoint = `${origin}/${mappingKey}`;
  const steps: StepResult[] = [];
  let probe: SocketProbe | undefined;
  let connectionId: string | undefined;
  const client = new ApiGatewayManagementApiClient({
    endpoint: managementEndpoint,
    region,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: 1,
  });

  async function step(name: StepName, ready: boolean, run: () => Promise<string>): Promise<void> {
    const started = Date.now();
    let result: StepResult;
    if (!ready) {
      result = { name, outcome: "skip", ms: 0, detail: "skipped: an earlier step failed" };
    } else {
      try {
        result = { name, outcome: "pass", ms: 0, detail: await withTimeout(run(), ms, name) };
      } catch (error) {
        const evidence = evidenceOf(error);
        if (probe?.closeCode !== undefined && evidence.closeCode === undefined) {
          Object.assign(evidence, { closeCode: probe.closeCode });
        }
        const status = evidence.status !== undefined ? `HTTP ${evidence.status}: ` : "";
        result = {
          name,
          outcome: "fail",
          ms: 0,
          detail: `${status}${evidence.errorName && evidence.errorName !== "Error" ? `${evidence.errorName}: ` : ""}${evidence.message ?? String(error)}`,
          ...(evidence.status !== undefined ? { status: evidence.status } : {}),
          ...(hintFor(evidence) ? { hint: hintFor(evidence) } : {}),
        };
      }
    }
    result = { ...result, ms: Date.now() - started };
    steps.push(result);
    options.onStep?.(result);
  }

  try {
    await step("site", true, async () => {
      const pageUrl = `${origin}/index.html`;
      const res = await fetch(pageUrl, { redirect: "manual" });
      const body = await res.text();
      if (res.status !== 200) {
        const location = res.headers.get("location");
        throw new StepFailure(`GET ${pageUrl} answered ${res.status}${location ? ` -> ${location}` : ""}`, { status: res.status });
      }
      if (!/html/i.test(res.headers.get("content-type") ?? "") && !/<html|<!doctype html/i.test(body)) {
        throw new StepFailure(`GET ${pageUrl} answered 200 but not HTML (${res.headers.get("content-type")})`);
      }
      return `GET ${pageUrl} -> 200, ${Buffer.byteLength(body)} bytes`;
    });

    await step("connect", true, async () => {
      probe = new SocketProbe(await openSocket(websocketUrl, ms));
      return `opened ${websocketUrl}`;
    });

    await step("echo", probe !== undefined, async () => {
      const socket = probe!;
      socket.socket.send(JSON.stringify({ action: "sendmessage", data: "hello world" }));
      await socket.next((t) => (t === "hello world" ? t : undefined), ms, `"hello world" back`);
      return `sendmessage "hello world" came back`;
    });

    await step("whoami", probe !== undefined, async () => {
      const socket = probe!;
      socket.socket.send(JSON.stringify({ action: "whoami" }));
      connectionId = await socket.next(usageConnectionId, ms, "the $default reply with the connection id");
      return `$default says the connection id is ${connectionId}`;
    });

    const haveId = () => probe !== undefined && connectionId !== undefined;
    await step("status", haveId(), async () => {
      const out = await client.send(new GetConnectionCommand({ ConnectionId: connectionId }));
      if (!(out.ConnectedAt instanceof Date) || !(out.LastActiveAt instanceof Date) || !out.Identity?.SourceIp) {
        throw new StepFailure(`GET @connections answered without connectedAt/lastActiveAt/identity.sourceIp: ${JSON.stringify(out)}`);
      }
      return `GET @connections -> connectedAt ${out.ConnectedAt.toISOString()}, lastActiveAt ${out.LastActiveAt.toISOString()}, sourceIp ${out.Identity.SourceIp}`;
    });

    await step("post", haveId(), async () => {
      const arrived = probe!.next((t) => (t === "test message" ? t : undefined), ms, `"test message" on the socket`);
      arrived.catch(() => undefined);
      await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from("test message") }));
      await arrived;
      return `POST @connections "test message" arrived on the socket`;
    });

    await step("delete", haveId(), async () => {
      await client.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
      const code = await withTimeout(probe!.closed, ms, "the socket to close");
      if (code !== 1000) throw new StepFailure(`the socket closed with ${code}, expected 1000`, { closeCode: code });
      return "DELETE @connections closed the socket with 1000";
    });
  } finally {
    probe?.socket.terminate();
    client.destroy();
  }

  return {
    ok: steps.every((s) => s.outcome === "pass"),
    url: origin,
    websocketUrl,
    managementEndpoint,
    ...(connectionId ? { connectionId } : {}),
    steps,
  };
}
