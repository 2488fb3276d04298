import { WebSocket, type RawData } from "ws";
import { StepFailure, type Request } from "./evidence";
import { withTimeout } from "./timeout";

/** An open socket plus a queue of what arrived on it, so a step can wait for one message. */
export class SocketProbe {
  private readonly received: string[] = [];
  private waiters: Array<() => void> = [];
  private closeCode?: number;
  private closeReason = "";
  /** Resolves with the close code once the socket has closed. */
  readonly closed: Promise<number>;

  constructor(private readonly socket: WebSocket) {
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

  /** The close code, once closed: evidence for a failure that the close explains. */
  get closedWith(): number | undefined {
    return this.closeCode;
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  /** Drops the connection without a close handshake (the run is over). */
  terminate(): void {
    this.socket.terminate();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves with the first message (already received or coming) that `matches`; others stay queued. */
  next<T>(matches: (text: string) => T | undefined, ms: number, what: string): Promise<T> {
    const search = async (): Promise<T> => {
      for (;;) {
        const index = this.received.findIndex((text) => matches(text) !== undefined);
        if (index >= 0) {
          const [text] = this.received.splice(index, 1);
          return matches(text) as T;
        }
        if (this.closeCode !== undefined) {
          const reason = this.closeReason ? ` ${this.closeReason}` : "";
          throw new StepFailure(`the socket closed (${this.closeCode}${reason}) before ${what} arrived`, { request: "socket", closeCode: this.closeCode });
        }
        await new Promise<void>((resolve) => this.waiters.push(resolve));
      }
    };
    return withTimeout(search(), ms, what);
  }
}

/**
 * Opens a WebSocket; a refused handshake rejects with a StepFailure carrying the HTTP status
 * (and the redirect target, if any) as evidence for `request`.
 */
export function openSocket(url: string, ms: number, request: Request): Promise<WebSocket> {
  return withTimeout(
    new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(url, { handshakeTimeout: ms });
      socket.once("open", () => resolve(socket));
      socket.once("unexpected-response", (_req, res) => {
        const location = res.headers.location ? ` -> ${res.headers.location}` : "";
        reject(new StepFailure(`handshake answered HTTP ${res.statusCode}${location}`, { request, status: res.statusCode }));
        socket.terminate();
      });
      socket.once("error", (error) => reject(error));
    }),
    ms,
    "the WebSocket handshake",
  );
}
