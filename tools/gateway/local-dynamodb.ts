import { startDynalite } from "../fakes/dynalite";
import { LOCAL_CREDENTIALS } from "../fakes/local-aws";

export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_DYNAMODB`. */
  readonly endpoint: string;
  readonly tableName: string;
  /** Stops the server and drops the in-memory data. */
  close(): Promise<void>;
}

/** The gateway's DynamoDB: dynalite on loopback, in memory, with the connections table as the stack creates it (less its TTL). */
export async function startLocalDynamoDb(tableName: string, region: string): Promise<LocalDynamoDb> {
  const dynamo = await startDynalite({ region, credentials: LOCAL_CREDENTIALS });
  try {
    await dynamo.createConnectionsTable(tableName);
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
  return { endpoint: dynamo.endpoint, tableName, close: () => dynamo.stop() };
}
