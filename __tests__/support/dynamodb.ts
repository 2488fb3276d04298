import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** dynalite 4 ships no types; this is the part used here (it returns a plain Node HTTP server). */
type Dynalite = (options?: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;
// require, not import: an ambient `declare module` here would clash with dev/dynalite.d.ts.
const dynalite = require("dynalite") as Dynalite;

/** Fake credentials and region: dynalite checks that requests are signed, not by whom. */
export const LOCAL_AWS = {
  region: "us-east-1",
  credentials: { accessKeyId: "AKIDLOCALTEST", secretAccessKey: "local-test-secret" },
} as const;

/** A dynalite server on a free loopback port, in memory. */
export interface LocalDynamo {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** A plain client for setup and assertions (no retries). */
  readonly client: DynamoDBClient;
  /** Creates a table shaped like src/connections-table.ts (partition key `connectionId`). */
  createConnectionsTable(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts dynalite (tables become ACTIVE at once). */
export async function startDynalite(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint, maxAttempts: 1 });
  return {
    endpoint,
    client,
    async createConnectionsTable(name) {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: "PAY_PER_REQUEST",
          AttributeDefinitions: [{ AttributeName: "connectionId", AttributeType: "S" }],
          KeySchema: [{ AttributeName: "connectionId", KeyType: "HASH" }],
        }),
      );
      // Even with createTableMs 0, dynalite flips the table to ACTIVE on a later tick.
      while ((await client.send(new DescribeTableCommand({ TableName: name }))).Table?.TableStatus !== "ACTIVE") {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    async stop() {
      client.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
