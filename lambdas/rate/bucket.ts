import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { BUCKET_FULL_AT_ATTRIBUTE, CONNECTION_ID_ATTRIBUTE } from "../contract/table-schema";
import type { MessageRate } from "../contract/rate-settings";

/** Spends one message of a connection's allowance; false when the bucket is empty (or the connection is unknown). */
export interface MessageRateLimiter {
  take(connectionId: string, now: Date): Promise<boolean>;
}

/**
 * The token bucket, kept on the connection's own table row as ONE number: `bucketFullAt`, the
 * epoch millisecond at which the bucket will be full again (the GCRA form of a token bucket:
 * tokens = burst - (bucketFullAt - now) / interval). Spending a token moves it one interval later.
 *
 * Each step is one conditional UpdateItem, which DynamoDB evaluates and applies atomically
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html):
 * 1. Full bucket (`bucketFullAt <= now`, or never set): set it to now + interval.
 * 2. Else, if a token is left (`bucketFullAt <= now + (burst - 1) * interval`): add one interval.
 * `bucketFullAt` only ever grows, so when step 1's condition fails step 2's can be trusted, and two
 * concurrent messages cannot both spend the last token: the second one's condition sees the first
 * one's write and fails. Every condition also requires the row to exist: an UpdateItem would
 * otherwise create a row for a connection that is gone, which broadcasts would then try to reach.
 */
export class DynamoMessageRateLimiter implements MessageRateLimiter {
  private readonly intervalMs: number;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly rate: MessageRate,
  ) {
    this.intervalMs = 1000 / rate.perSecond;
  }

  async take(connectionId: string, now: Date): Promise<boolean> {
    const at = now.getTime();
    const full = await this.update(connectionId, "SET #full = :next", "attribute_exists(#id) AND (attribute_not_exists(#full) OR #full <= :now)", {
      ":next": at + this.intervalMs,
      ":now": at,
    });
    if (full) return true;
    return this.update(connectionId, "SET #full = #full + :interval", "attribute_exists(#id) AND #full <= :last", {
      ":interval": this.intervalMs,
      ":last": at + (this.rate.burst - 1) * this.intervalMs,
    });
  }

  /** One conditional write; false when its condition did not hold. */
  private async update(connectionId: string, expression: string, condition: string, values: Record<string, number>): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [CONNECTION_ID_ATTRIBUTE]: connectionId },
          UpdateExpression: expression,
          ConditionExpression: condition,
          ExpressionAttributeNames: { "#id": CONNECTION_ID_ATTRIBUTE, "#full": BUCKET_FULL_AT_ATTRIBUTE },
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
