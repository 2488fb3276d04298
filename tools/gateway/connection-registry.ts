import { WebSocket } from "ws";
import type { ConnectionIdentity } from "./api-gateway-event";
import type { ManagedConnection, SendOutcome } from "./management-api";

/** Timers and bounds every connection gets. */
export interface ConnectionLimits {
  readonly idleTimeoutMs: number;
  readonly maxConnectionMs: number;
  /** Bytes a client may leave unread in the gateway before @connections POSTs to it are refused. */
  readonly maxOutboundBufferBytes: number;
}

/** An open socket and what the @connections API and the timers need of it. */
class LiveConnection implements ManagedConnection {
  lastActiveAt: number;
  private idleTimer?: NodeJS.Timeout;
  private readonly maxTimer: NodeJS.Timeout;

  constructor(
    readonly identity: ConnectionIdentity,
    readonly socket: WebSocket,
    private readonly limits: ConnectionLimits,
  ) {
    this.lastActiveAt = identity.connectedAt;
    this.armIdleTimer();
    this.maxTimer = setTimeout(() => socket.close(1001, "Going away"), limits.maxConnectionMs);
  }

  isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /**
   * Queues one text message without waiting for the client to read it, as API Gateway answers a
   * POST itself. `bufferedAmount` is what the client's TCP connection has not taken yet: a client
   * that stops reading fills it, and then posts to it are refused, not others delayed.
   */
  send(data: string): SendOutcome {
    if (!this.isOpen()) return "gone";
    if (this.socket.bufferedAmount + Buffer.byteLength(data) > this.limits.maxOutboundBufferBytes) return "full";
    this.socket.send(data);
    return "queued";
  }

  disconnect(): void {
    this.socket.close(1000);
  }

  /** A client message: the idle timer starts over. */
  touch(): void {
    this.lastActiveAt = Date.now();
    this.armIdleTimer();
  }

  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.socket.close(1001, "Going away"), this.limits.idleTimeoutMs);
  }

  stopTimers(): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.maxTimer);
  }
}

/** The open connections by id: what `@connections` looks up and what shutdown closes. */
export class ConnectionRegistry {
  private readonly open = new Map<string, LiveConnection>();

  constructor(private readonly limits: ConnectionLimits) {}

  /** Registers an accepted socket; it leaves the registry when it closes. */
  add(identity: ConnectionIdentity, socket: WebSocket): LiveConnection {
    const connection = new LiveConnection(identity, socket, this.limits);
    this.open.set(identity.connectionId, connection);
    socket.on("close", () => {
      connection.stopTimers();
      this.open.delete(identity.connectionId);
    });
    return connection;
  }

  get(connectionId: string): ManagedConnection | undefined {
    return this.open.get(connectionId);
  }

  /** Bytes queued for `connectionId` that its client has not taken yet; undefined when it is not open. */
  unreadBytes(connectionId: string): number | undefined {
    return this.open.get(connectionId)?.socket.bufferedAmount;
  }

  ids(): string[] {
    return [...this.open.keys()];
  }

  /** Closes every socket with 1001, gives clients `graceMs` to answer, then drops the rest. */
  async closeAll(graceMs: number): Promise<void> {
    const sockets = [...this.open.values()].map((c) => c.socket);
    const closed = (s: WebSocket) => (s.readyState === WebSocket.CLOSED ? Promise.resolve() : new Promise<void>((resolve) => s.once("close", () => resolve())));
    for (const socket of sockets) socket.close(1001, "Going away");
    const grace = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([Promise.all(sockets.map(closed)), grace]);
    for (const socket of sockets) socket.terminate();
    await Promise.all(sockets.map(closed));
  }
}
