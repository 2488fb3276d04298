import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { CONNECTION_ID_ATTRIBUTE } from "../../lambdas/contract/table-schema";
import { LOCAL_CREDENTIALS } from "./local-credentials";

export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_DYNAMODB`. */
  readonly endpoint: string;
  readonly tableName: string;
  /** Stops the server and drops the in-memory data. */
  close(): Promise<void>;
}

/**
 * Starts dynalite (the DynamoDB-compatible server the backend tests use) on loopback, in memory,
 * and creates the connections table as the stack does: partition key `connectionId` (S), on demand.
 */
export async function startLocalDynamoDb(tableName: string, region: string): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const client = new DynamoDBClient({ endpoint, region, credentials: LOCAL_CREDENTIALS });
  try {
    await createConnectionsTable(client, tableName);
  } catch (error) {
    await close();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, tableName, close };
}

/** Creates the connections table as the stack does (key `connectionId`, on-demand) and waits until it is ACTIVE. */
export async function createConnectionsTable(client: DynamoDBClient, tableName: string): Promise<void> {
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
