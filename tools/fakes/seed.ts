import { BatchWriteItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CONNECTION_TTL_SECONDS } from "../../lambdas/base/store";
import type { FakeConnectionsApi } from "./connections-api";

/** API Gateway-like connection ids (base64-ish, with "=" to exercise URL encoding). */
export function connectionIds(count: number, prefix = "c"): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i.toString(36).padStart(5, "0")}AbC=`);
}

/**
 * Stores `ids` as $connect would (25 per BatchWriteItem) and opens them on the fake @connections
 * API. `paddingBytes` fattens each item so a scan crosses DynamoDB's 1 MB page limit with fewer items.
 */
export async function seedConnections(client: DynamoDBClient, tableName: string, ids: string[], api?: FakeConnectionsApi, paddingBytes = 0): Promise<void> {
  const expiresAt = Math.floor(Date.now() / 1000) + CONNECTION_TTL_SECONDS;
  const padding = "x".repeat(paddingBytes);
  for (let i = 0; i < ids.length; i += 25) {
    const batch = ids.slice(i, i + 25).map((id) => ({
      PutRequest: {
        Item: {
          connectionId: { S: id },
          connectedAt: { S: new Date().toISOString() },
          expiresAt: { N: String(expiresAt) },
          ...(paddingBytes > 0 ? { padding: { S: padding } } : {}),
        },
      },
    }));
    const result = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: batch } }));
    if (Object.keys(result.UnprocessedItems ?? {}).length > 0) throw new Error("dynalite left items unprocessed");
  }
  for (const id of ids) api?.connect(id);
}
