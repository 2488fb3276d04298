import { BatchWriteItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { memberKey } from "../../lambdas/channels/members";
import { CONNECTION_TTL_SECONDS } from "../../lambdas/base/store";
import { CONNECTION_ID_ATTRIBUTE, EXPIRES_AT_ATTRIBUTE, MEMBER_CHANNEL_ATTRIBUTE, MEMBER_KEY_ATTRIBUTE } from "../../lambdas/contract/table-schema";
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

/**
 * Subscribes `ids` to `channel` as subscribe would store their member items (25 per
 * BatchWriteItem; lambdas/channels/members.ts), without the connections' channel sets.
 */
export async function seedMembers(client: DynamoDBClient, membersTable: string, channel: string, ids: string[]): Promise<void> {
  const expiresAt = Math.floor(Date.now() / 1000) + CONNECTION_TTL_SECONDS;
  for (let i = 0; i < ids.length; i += 25) {
    const batch = ids.slice(i, i + 25).map((id) => ({
      PutRequest: {
        Item: {
          [MEMBER_CHANNEL_ATTRIBUTE]: { S: channel },
          [MEMBER_KEY_ATTRIBUTE]: { S: memberKey(id) },
          [CONNECTION_ID_ATTRIBUTE]: { S: id },
          [EXPIRES_AT_ATTRIBUTE]: { N: String(expiresAt) },
        },
      },
    }));
    const result = await client.send(new BatchWriteItemCommand({ RequestItems: { [membersTable]: batch } }));
    if (Object.keys(result.UnprocessedItems ?? {}).length > 0) throw new Error("dynalite left items unprocessed");
  }
}
