import type { AddressInfo } from "node:net";
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { CONNECTION_ID_ATTRIBUTE } from "../../lambdas/contract/table-schema";
import { LOCAL_AWS } from "./local-aws";

/** How the server's own client signs: a region and a key pair. */
export interface LocalSigner {
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

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

/**
 * Starts dynalite (tables become ACTIVE at once): the DynamoDB-compatible server of the tests, the
 * benchmarks and the local gateway. It has no UpdateTimeToLive, so a table here has no TTL.
 */
export async function startDynalite(signer: LocalSigner = LOCAL_AWS): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Retries: on a loaded machine a kept-alive socket can meet dynalite's 5 s idle close (ECONNRESET),
  // which the SDK's standard strategy retries as transient; real errors still surface at once.
  const client = new DynamoDBClient({ region: signer.region, credentials: signer.credentials, endpoint, maxAttempts: 3 });
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

/** Creates the connections table as the stack does (key `connectionId`, on-demand) and waits until it is ACTIVE. */
async function createConnectionsTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: CONNECTION_ID_ATTRIBUTE, AttributeType: "S" }],
      KeySchema: [{ AttributeName: CONNECTION_ID_ATTRIBUTE, KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  // Even with createTableMs 0, dynalite flips the table to ACTIVE on a later tick.
  while ((await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.TableStatus !== "ACTIVE") {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
