import type { AddressInfo } from "node:net";
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { CONNECTION_ID_ATTRIBUTE, MEMBER_CHANNEL_ATTRIBUTE, MEMBER_KEY_ATTRIBUTE } from "../../lambdas/contract/table-schema";
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
  /** Creates a table shaped like src/chat/members-table.ts (partition key `channel`, sort key `member`). */
  createMembersTable(name: string): Promise<void>;
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
    createConnectionsTable: (name) => createTable(client, name, [CONNECTION_ID_ATTRIBUTE]),
    createMembersTable: (name) => createTable(client, name, [MEMBER_CHANNEL_ATTRIBUTE, MEMBER_KEY_ATTRIBUTE]),
    async stop() {
      client.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Creates a table keyed as the stack keys it (`[partition key, sort key?]`, strings, on-demand) and waits until it is ACTIVE. */
async function createTable(client: DynamoDBClient, tableName: string, [hash, range]: [string, string?]): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [hash, ...(range ? [range] : [])].map((name) => ({ AttributeName: name, AttributeType: "S" })),
      KeySchema: [{ AttributeName: hash, KeyType: "HASH" }, ...(range ? [{ AttributeName: range, KeyType: "RANGE" as const }] : [])],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  // Even with createTableMs 0, dynalite flips the table to ACTIVE on a later tick.
  while ((await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.TableStatus !== "ACTIVE") {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
