import { startDynalite } from "../fakes/dynalite";
import { LOCAL_CREDENTIALS } from "../fakes/local-aws";

export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_DYNAMODB`. */
  readonly endpoint: string;
  readonly tableName: string;
  /** The channel members table. */
  readonly membersTable: string;
  /** Stops the server and drops the in-memory data. */
  close(): Promise<void>;
}

/** The gateway's DynamoDB: dynalite on loopback, in memory, with the connections and channel members tables as the stack creates them (less their TTL). */
export async function startLocalDynamoDb(tableName: string, region: string): Promise<LocalDynamoDb> {
  const dynamo = await startDynalite({ region, credentials: LOCAL_CREDENTIALS });
  const membersTable = "channel-members";
  try {
    await dynamo.createConnectionsTable(tableName);
    await dynamo.createMembersTable(membersTable);
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
  return { endpoint: dynamo.endpoint, tableName, membersTable, close: () => dynamo.stop() };
}
