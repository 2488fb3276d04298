import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { BUCKET_FULL_AT_ATTRIBUTE, CONNECTION_ID_ATTRIBUTE, REFUSALS_ATTRIBUTE } from "../contract/table-schema";
import type { MessageRate } from "../contract/rate-settings";

/** What one message's token cost: allowed, or refused with the refusals counted since the bucket was last full (0 for an unknown connection). */
export type TakeResult = { readonly allowed: true } | { readonly allowed: false; readonly refusals: number };

/** Spends one message of a connection's allowance. */
export interface MessageRateLimiter {
  take(connectionId: string, now: Date): Promise<TakeResult>;
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
 * 3. Else the message is refused: `refusals` goes up by one (an atomic ADD) and the new count is
 * returned. Step 1 clears it: a client that lets its bucket fill again starts from zero, so only
 * one that keeps sending past its rate piles refusals up.
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

  async take(connectionId: string, now: Date): Promise<TakeResult> {
    const at = now.getTime();
    const full = await this.update(
      connectionId,
      "SET #full = :next REMOVE #refusals",
      "attribute_exists(#id) AND (attribute_not_exists(#full) OR #full <= :now)",
      {
        ":next": at + this.intervalMs,
        ":now": at,
      },
    );
    if (full) return { allowed: true };
    const spent = await this.update(connectionId, "SET #full = #full + :interval", "attribute_exists(#id) AND #full <= :last", {
      ":interval": this.intervalMs,
      ":last": at + (this.rate.burst - 1) * this.intervalMs,
    });
    if (spent) return { allowed: true };
    const refused = await this.update(connectionId, "ADD #refusals :one", "attribute_exists(#id)", { ":one": 1 });
    return { allowed: false, refusals: typeof refused === "object" ? Number(refused[REFUSALS_ATTRIBUTE] ?? 0) : 0 };
  }

  /** One conditional write; the attributes it updated, or false when its condition did not hold. */
  private async update(connectionId: string, expression: string, condition: string, values: Record<string, number>): Promise<Record<string, unknown> | false> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [CONNECTION_ID_ATTRIBUTE]: connectionId },
          UpdateExpression: expression,
          ConditionExpression: condition,
          ExpressionAttributeNames: Object.fromEntries(
            Object.entries({ "#id": CONNECTION_ID_ATTRIBUTE, "#full": BUCKET_FULL_AT_ATTRIBUTE, "#refusals": REFUSALS_ATTRIBUTE }).filter(([name]) =>
              `${expression} ${condition}`.includes(name),
            ),
          ),
          ExpressionAttributeValues: values,
          ReturnValues: "UPDATED_NEW",
        }),
      );
      return Attributes ?? {};
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
