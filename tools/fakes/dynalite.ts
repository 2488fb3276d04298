import type { AddressInfo } from "node:net";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { createConnectionsTable } from "../gateway/local-dynamodb";

/** Fake credentials and region: dynalite checks that requests are signed, not by whom. */
export const LOCAL_AWS = {
  region: "us-east-1",
  credentials: { accessKeyId: "AKIDLOCALTEST", secretAccessKey: "local-test-secret" },
} as const;

/** A dynalite server on a free loopback port, in memory. */
export interface LocalDynamo {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** A plain client for setup and assertions (the SDK's standard retries, for transient socket errors only). */
  readonly client: DynamoDBClient;
  /** Creates a table shaped like src/chat/connections-table.ts (partition key `connectionId`). */
  createConnectionsTable(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts dynalite (tables become ACTIVE at once). */
export async function startDynalite(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Retries: on a loaded machine a kept-alive socket can meet dynalite's 5 s idle close (ECONNRESET),
  // which the SDK's standard strategy retries as transient; real errors still surface at once.
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint, maxAttempts: 3 });
  return {
    endpoint,
    client,
    createConnectionsTable: (name) => createConnectionsTable(client, name),
    async stop() {
      client.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
