import { WebSocket, type RawData } from "ws";

/** A real `ws` client that queues what it receives, so a test can wait for one message. */
export class TestClient {
  readonly received: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data: RawData) => {
      this.received.push(Buffer.isBuffer(data) ? data.toString("utf8") : String(data));
      this.wake();
    });
    this.closed = new Promise((resolve) =>
      socket.on("close", (code: number, reason: Buffer) => {
        this.wake();
        resolve({ code, reason: reason.toString("utf8") });
      }),
    );
    socket.on("error", () => undefined);
  }

  /** Opens a socket on `url`, offering `protocols` (Sec-WebSocket-Protocol) when given. */
  static async open(url: string, protocols?: string[]): Promise<TestClient> {
    const socket = new WebSocket(url, protocols);
    const client = new TestClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
      socket.once("unexpected-response", (_req, res) => reject(new Error(`handshake answered ${res.statusCode}`)));
    });
    return client;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** The first queued or coming message that `matches` (removed from the queue), or a rejection after `ms`. */
  async next(matches: (text: string) => boolean = () => true, ms = 5000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const index = this.received.findIndex(matches);
      if (index >= 0) return this.received.splice(index, 1)[0];
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching message within ${ms} ms; received: ${JSON.stringify(this.received).slice(0, 300)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  send(text: string): void {
    this.socket.send(text);
  }

  /** Closes with a close frame and waits for the server's answer. */
  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close(1000);
    await this.closed;
  }
}

/** Polls `check` until it returns true, or throws after `ms`. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 3000, what = "condition"): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
