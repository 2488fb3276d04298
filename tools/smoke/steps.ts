import { DeleteConnectionCommand, GetConnectionCommand, PostToConnectionCommand } from "@aws-sdk/client-apigatewaymanagementapi";
import { StepFailure } from "./evidence";
import { openSocket, SocketProbe } from "./socket-probe";
import { defineStep, type SmokeStep } from "./step";
import { withTimeout } from "./timeout";

/** Reads `{"type":"usage","connectionId":"..."}`, what `$default` sends its caller. */
function usageConnectionId(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { type?: unknown; connectionId?: unknown };
    return parsed.type === "usage" && typeof parsed.connectionId === "string" ? parsed.connectionId : undefined;
  } catch {
    return undefined;
  }
}

const site = defineStep({
  name: "site",
  request: "page",
  needs: [],
  run: async ({ target }) => {
    const pageUrl = `${target.origin}/index.html`;
    const res = await fetch(pageUrl, { redirect: "manual" });
    const body = await res.text();
    if (res.status !== 200) {
      const location = res.headers.get("location");
      throw new StepFailure(`GET ${pageUrl} answered ${res.status}${location ? ` -> ${location}` : ""}`, { request: "page", status: res.status });
    }
    if (!/html/i.test(res.headers.get("content-type") ?? "") && !/<html|<!doctype html/i.test(body)) {
      throw new StepFailure(`GET ${pageUrl} answered 200 but not HTML (${res.headers.get("content-type")})`, { request: "page" });
    }
    // The page learns the socket's path from settings.json: a path pattern that captures it leaves the page dead.
    const settingsUrl = `${target.origin}/settings.json`;
    const settings = await fetch(settingsUrl, { redirect: "manual" });
    const socketPath = new URL(target.websocketUrl).pathname.slice(1);
    const websocketPath = settings.status === 200 ? ((await settings.json().catch(() => ({}))) as { websocketPath?: unknown }).websocketPath : undefined;
    if (websocketPath !== socketPath) {
      const got = settings.status === 200 ? `websocketPath ${JSON.stringify(websocketPath)}` : `HTTP ${settings.status}`;
      throw new StepFailure(`GET ${settingsUrl} gave ${got}, not the socket's path ${JSON.stringify(socketPath)}: the page cannot find the socket`, {
        request: "page",
        status: settings.status,
      });
    }
    return { detail: `GET ${pageUrl} -> 200, ${Buffer.byteLength(body)} bytes; GET ${settingsUrl} -> websocketPath ${JSON.stringify(socketPath)}` };
  },
});

const connect = defineStep({
  name: "connect",
  request: "handshake",
  needs: [],
  run: async ({ target, stepTimeoutMs }) => ({
    detail: `opened ${target.websocketUrl}`,
    found: { socket: new SocketProbe(await openSocket(target.websocketUrl, stepTimeoutMs, "handshake")) },
  }),
});

const echo = defineStep({
  name: "echo",
  request: "socket",
  needs: ["socket"],
  run: async ({ stepTimeoutMs }, { socket }) => {
    socket.send({ action: "sendmessage", data: "hello world" });
    await socket.next((t) => (t === "hello world" ? t : undefined), stepTimeoutMs, `"hello world" back`);
    return { detail: `sendmessage "hello world" came back` };
  },
});

const whoami = defineStep({
  name: "whoami",
  request: "socket",
  needs: ["socket"],
  run: async ({ stepTimeoutMs }, { socket }) => {
    socket.send({ action: "whoami" });
    const connectionId = await socket.next(usageConnectionId, stepTimeoutMs, "the $default reply with the connection id");
    return { detail: `$default says the connection id is ${connectionId}`, found: { connectionId } };
  },
});

const status = defineStep({
  name: "status",
  request: "connections",
  needs: ["connectionId"],
  run: async ({ management }, { connectionId }) => {
    const out = await management.send(new GetConnectionCommand({ ConnectionId: connectionId }));
    if (!(out.ConnectedAt instanceof Date) || !(out.LastActiveAt instanceof Date) || !out.Identity?.SourceIp) {
      throw new StepFailure(`GET @connections answered without connectedAt/lastActiveAt/identity.sourceIp: ${JSON.stringify(out)}`, {
        request: "connections",
      });
    }
    return {
      detail: `GET @connections -> connectedAt ${out.ConnectedAt.toISOString()}, lastActiveAt ${out.LastActiveAt.toISOString()}, sourceIp ${out.Identity.SourceIp}`,
    };
  },
});

const post = defineStep({
  name: "post",
  request: "connections",
  needs: ["socket", "connectionId"],
  run: async ({ management, stepTimeoutMs }, { socket, connectionId }) => {
    const arrived = socket.next((t) => (t === "test message" ? t : undefined), stepTimeoutMs, `"test message" on the socket`);
    arrived.catch(() => undefined); // awaited below; a POST failure must not leave it unhandled
    await management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from("test message") }));
    await arrived;
    return { detail: `POST @connections "test message" arrived on the socket` };
  },
});

const remove = defineStep({
  name: "delete",
  request: "connections",
  needs: ["socket", "connectionId"],
  run: async ({ management, stepTimeoutMs }, { socket, connectionId }) => {
    await management.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    const code = await withTimeout(socket.closed, stepTimeoutMs, "the socket to close");
    if (code !== 1000) throw new StepFailure(`the socket closed with ${code}, expected 1000`, { request: "socket", closeCode: code });
    return { detail: "DELETE @connections closed the socket with 1000" };
  },
});

/**
 * With `disable_execute_api_endpoint`, "clients can still connect to your default endpoint, but
 * they will receive a 403 Forbidden status code"
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-disable-default-endpoint.html;
 * the WebSocket page, .../websocket-api-disable-default-endpoint.html, names no status).
 */
const DISABLED_ENDPOINT_STATUS = 403;

const bypass = defineStep({
  name: "bypass",
  request: "default-endpoint",
  needs: ["apiDefaultEndpoint"],
  run: async ({ stepTimeoutMs }, { apiDefaultEndpoint: endpoint }) => {
    try {
      (await openSocket(endpoint, stepTimeoutMs, "default-endpoint")).terminate();
    } catch (error) {
      if (error instanceof StepFailure && error.evidence.status === DISABLED_ENDPOINT_STATUS) {
        return { detail: `${endpoint} refused the handshake with ${DISABLED_ENDPOINT_STATUS}: nobody bypasses CloudFront` };
      }
      throw error;
    }
    throw new StepFailure(`${endpoint} accepted a WebSocket: the API's default endpoint is enabled`, { request: "default-endpoint", status: 101 });
  },
});

/** The source document's post-deploy checks (R11, R12), in order, then the no-bypass check (DESIGN.md R2). */
export const SMOKE_STEPS: readonly SmokeStep[] = [site, connect, echo, whoami, status, post, remove, bypass];
