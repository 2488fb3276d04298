import { createHash } from "node:crypto";
import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  paginateQuery,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { Recipient, RecipientPage, ScanSegment } from "../base/store";
import { CONNECTION_TTL_SECONDS, DEFAULT_SCAN_PAGE_SIZE, epochSeconds } from "../base/store";
import { MAX_CHANNELS_PER_CONNECTION } from "../contract/channels";
import {
  CHANNELS_ATTRIBUTE,
  CONNECTION_ID_ATTRIBUTE,
  EXPIRES_AT_ATTRIBUTE,
  MEMBER_BUCKETS,
  MEMBER_CHANNEL_ATTRIBUTE,
  MEMBER_KEY_ATTRIBUTE,
} from "../contract/table-schema";
import type { Audience } from "../delivery/audience";

/** Why a subscription was refused. */
export type JoinRefusal = "limit";

/**
 * BatchWriteItem takes at most 25 requests ("up to 25 item put or delete operations",
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html).
 */
const BATCH_WRITE_ITEMS = 25;

/** The bucket of a connection id, 000-999: a hash, so any channel's members spread evenly over them. */
export function memberBucket(connectionId: string): string {
  const bucket = createHash("sha256").update(connectionId).digest().readUInt32BE(0) % MEMBER_BUCKETS;
  return String(bucket).padStart(3, "0");
}

/** The member item's sort key. */
export function memberKey(connectionId: string): string {
  return `${memberBucket(connectionId)}#${connectionId}`;
}

/**
 * The sort-key range of segment `segment` of `totalSegments` (at most {@link MEMBER_BUCKETS}): its
 * buckets' keys, BETWEEN-inclusive. `$` sorts right after `#`, so `"042$"` bounds every `"042#…"`.
 */
export function segmentRange({ segment, totalSegments }: ScanSegment): { from: string; to: string } {
  const first = Math.floor((segment * MEMBER_BUCKETS) / totalSegments);
  const last = Math.floor(((segment + 1) * MEMBER_BUCKETS) / totalSegments) - 1;
  return { from: `${String(first).padStart(3, "0")}#`, to: `${String(last).padStart(3, "0")}$` };
}

/**
 * The channel members table (lambdas/contract/table-schema.ts), and each connection's set of
 * channels on its row in the connections table. dynalite has no TransactWriteItems, so the two
 * writes of a subscription are ordered instead: the row's set first, under a condition that keeps
 * it within {@link MAX_CHANNELS_PER_CONNECTION}; then the member item; if that fails, the set is
 * given back. A membership whose item exists is always in the set, so `$disconnect` finds it.
 */
export class ChannelMembers {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly membersTable: string,
    private readonly connectionsTable: string,
  ) {}

  /**
   * Subscribes `connectionId` (connected at `connectedAtMs`, so the membership expires with the
   * connection) to `channel`. Subscribing again is a success. Undefined, or why it was refused.
   */
  async join(connectionId: string, channel: string, connectedAtMs: number): Promise<JoinRefusal | undefined> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.connectionsTable,
          Key: { [CONNECTION_ID_ATTRIBUTE]: connectionId },
          UpdateExpression: "ADD #channels :channel",
          ConditionExpression: "attribute_exists(#id) AND (attribute_not_exists(#channels) OR size(#channels) < :max OR contains(#channels, :name))",
          ExpressionAttributeNames: { "#id": CONNECTION_ID_ATTRIBUTE, "#channels": CHANNELS_ATTRIBUTE },
          ExpressionAttributeValues: { ":channel": new Set([channel]), ":max": MAX_CHANNELS_PER_CONNECTION, ":name": channel },
        }),
      );
    } catch (error) {
      if ((error as { name?: string }).name === "ConditionalCheckFailedException") return "limit";
      throw error;
    }
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.membersTable,
          Item: {
            [MEMBER_CHANNEL_ATTRIBUTE]: channel,
            [MEMBER_KEY_ATTRIBUTE]: memberKey(connectionId),
            [CONNECTION_ID_ATTRIBUTE]: connectionId,
            [EXPIRES_AT_ATTRIBUTE]: Math.floor(connectedAtMs / 1000) + CONNECTION_TTL_SECONDS,
          },
        }),
      );
    } catch (error) {
      await this.forget(connectionId, channel).catch(() => undefined);
      throw error;
    }
    return undefined;
  }

  /** Unsubscribes; leaving a channel one is not in succeeds. The item goes first: no message arrives after the answer. */
  async leave(connectionId: string, channel: string): Promise<void> {
    await this.remove(channel, connectionId);
    await this.forget(connectionId, channel);
  }

  /** Deletes the member items of a connection that is gone (`channels`: its row's set, read by `$disconnect`). */
  async leaveAll(connectionId: string, channels: readonly string[]): Promise<void> {
    for (let i = 0; i < channels.length; i += BATCH_WRITE_ITEMS) {
      let requests: Record<string, unknown[]> | undefined = {
        [this.membersTable]: channels.slice(i, i + BATCH_WRITE_ITEMS).map((channel) => ({ DeleteRequest: { Key: this.key(channel, connectionId) } })),
      };
      // Unprocessed items are handed back, not failed: send them again (the SDK retries the call itself).
      for (let round = 0; requests && Object.keys(requests).length > 0 && round < 3; round += 1) {
        const result = await this.client.send(new BatchWriteCommand({ RequestItems: requests as never }));
        requests = result.UnprocessedItems as Record<string, unknown[]> | undefined;
      }
    }
  }

  /** Deletes a connection's row and then its memberships (`$disconnect`): the row's channel set says which. */
  async disconnect(connectionId: string): Promise<void> {
    const { Attributes } = await this.client.send(
      new DeleteCommand({ TableName: this.connectionsTable, Key: { [CONNECTION_ID_ATTRIBUTE]: connectionId }, ReturnValues: "ALL_OLD" }),
    );
    const channels: unknown = Attributes?.[CHANNELS_ATTRIBUTE];
    if (channels instanceof Set)
      await this.leaveAll(
        connectionId,
        [...channels].filter((c): c is string => typeof c === "string"),
      );
  }

  /** Deletes one member item (a 410 prunes it). */
  async remove(channel: string, connectionId: string, signal?: AbortSignal): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.membersTable, Key: this.key(channel, connectionId) }), { abortSignal: signal });
  }

  /** `channel`'s members as an audience: Query only, never a Scan. */
  audience(channel: string): Audience {
    return {
      channel,
      maxSegments: MEMBER_BUCKETS,
      firstPage: async (now, maxItems) => {
        const page = await this.client.send(new QueryCommand({ ...this.members(channel, now), Limit: Math.max(1, maxItems) }));
        return { recipients: [...idsOf(page.Items)], complete: page.LastEvaluatedKey === undefined } satisfies RecipientPage;
      },
      recipients: (now, segment) => this.recipients(channel, now, segment),
      count: async (now) => {
        let total = 0;
        for await (const page of paginateQuery({ client: this.client }, { ...this.members(channel, now), Select: "COUNT" })) total += page.Count ?? 0;
        return total;
      },
      prune: (connectionId, signal) => this.remove(channel, connectionId, signal),
    };
  }

  private async *recipients(channel: string, now: Date, segment?: ScanSegment): AsyncIterable<Recipient> {
    for await (const page of paginateQuery({ client: this.client, pageSize: DEFAULT_SCAN_PAGE_SIZE }, this.members(channel, now, segment))) {
      yield* idsOf(page.Items);
    }
  }

  /** The Query of a channel's live members (or of one segment's buckets), projecting the id only. */
  private members(channel: string, now: Date, segment?: ScanSegment): QueryCommandInput {
    const range = segment ? segmentRange(segment) : undefined;
    return {
      TableName: this.membersTable,
      KeyConditionExpression: range ? "#channel = :channel AND #member BETWEEN :from AND :to" : "#channel = :channel",
      // TTL deletes lazily: skip memberships that expired but are still listed.
      FilterExpression: "#exp > :now",
      ProjectionExpression: "#id",
      ExpressionAttributeNames: {
        "#channel": MEMBER_CHANNEL_ATTRIBUTE,
        "#exp": EXPIRES_AT_ATTRIBUTE,
        "#id": CONNECTION_ID_ATTRIBUTE,
        ...(range ? { "#member": MEMBER_KEY_ATTRIBUTE } : {}),
      },
      ExpressionAttributeValues: { ":channel": channel, ":now": epochSeconds(now), ...(range ? { ":from": range.from, ":to": range.to } : {}) },
    };
  }

  private key(channel: string, connectionId: string) {
    return { [MEMBER_CHANNEL_ATTRIBUTE]: channel, [MEMBER_KEY_ATTRIBUTE]: memberKey(connectionId) };
  }

  private async forget(connectionId: string, channel: string): Promise<void> {
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.connectionsTable,
          Key: { [CONNECTION_ID_ATTRIBUTE]: connectionId },
          UpdateExpression: "DELETE #channels :channel",
          ConditionExpression: "attribute_exists(#id)",
          ExpressionAttributeNames: { "#id": CONNECTION_ID_ATTRIBUTE, "#channels": CHANNELS_ATTRIBUTE },
          ExpressionAttributeValues: { ":channel": new Set([channel]) },
        }),
      )
      .catch((error: { name?: string }) => {
        // The connection's row is gone: so is the set.
        if (error.name !== "ConditionalCheckFailedException") throw error;
      });
  }
}

function* idsOf(items: ReadonlyArray<Record<string, unknown>> | undefined): Iterable<Recipient> {
  for (const item of items ?? []) {
    const id: unknown = item[CONNECTION_ID_ATTRIBUTE];
    if (typeof id === "string") yield { connectionId: id };
  }
}
