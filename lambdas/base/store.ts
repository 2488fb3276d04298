import { DeleteCommand, type DynamoDBDocumentClient, paginateScan, PutCommand, ScanCommand, type ScanCommandInput } from "@aws-sdk/lib-dynamodb";
import { API_GATEWAY_LIMITS } from "../contract/api-gateway-limits";
import type { ChatProtocol } from "../contract/auth-subprotocol";
import { CONNECTED_AT_ATTRIBUTE, CONNECTION_ID_ATTRIBUTE, EXPIRES_AT_ATTRIBUTE, PROTOCOL_ATTRIBUTE, SUBJECT_ATTRIBUTE } from "../contract/table-schema";

/**
 * API Gateway closes every WebSocket after 2 hours; 10 minutes of slack keep an id alive until its
 * own $disconnect has run, and TTL then removes ids whose $disconnect never came.
 */
export const CONNECTION_TTL_SECONDS = API_GATEWAY_LIMITS.maxConnectionMs / 1000 + 10 * 60;

/** What `$connect` learned about a connection besides its id. */
export interface ConnectionDetails {
  /** The authorized token's subject (auth "jwt" only). */
  readonly subject?: string;
  /** The chat protocol version `$connect` selected; none when the client offered none. */
  readonly protocol?: ChatProtocol;
}

/** One recipient of a broadcast: where to post, and how to encode what it gets. */
export interface Recipient {
  readonly connectionId: string;
  /** The row's `protocol`, as stored (undefined when the client offered none, or the row predates it). */
  readonly protocol?: string;
}

/** The table of open connection ids, as the handlers use it. */
export interface ConnectionStore {
  /** Stores `connectionId` with its details, expiring {@link CONNECTION_TTL_SECONDS} after `connectedAt`. */
  add(connectionId: string, connectedAt: Date, details?: ConnectionDetails): Promise<void>;
  /** Deletes `connectionId`; deleting an id that is not there succeeds. `signal` aborts the call, retries included. */
  remove(connectionId: string, signal?: AbortSignal): Promise<void>;
  /**
   * Every stored connection that has not expired, one scan page at a time. Pages are fetched on
   * demand, so a consumer that is slow holds at most one page in memory. With `segment`, only that
   * parallel scan segment's (DynamoDB Segment / TotalSegments).
   */
  recipients(now: Date, segment?: ScanSegment): AsyncIterable<Recipient>;
  /** How many ids have not expired, counted by `parallelism` concurrent segment scans (`Select: COUNT`). */
  count(now: Date, parallelism: number): Promise<number>;
  /**
   * The first scan page of at most `maxItems` items, its live recipients, and whether it was the
   * whole table: a small broadcast is delivered from it, so the table is read once.
   */
  firstPage(now: Date, maxItems: number): Promise<RecipientPage>;
}

/** One page of recipients, and whether nothing follows it. */
export interface RecipientPage {
  readonly recipients: readonly Recipient[];
  /** True when the page held every item there is (no LastEvaluatedKey). */
  readonly complete: boolean;
}

/** One segment of a DynamoDB parallel scan. */
export interface ScanSegment {
  readonly segment: number;
  readonly totalSegments: number;
}

/**
 * Items per scan page. DynamoDB's 1 MB cap alone would let a page hold ~13,000 small items, so
 * memory would still grow up to that many recipients; 1,000 keeps it flat at the cost of one
 * more Scan call (a few ms) per 1,000 recipients, and reads the same capacity units.
 */
export const DEFAULT_SCAN_PAGE_SIZE = 1000;

export interface DynamoConnectionStoreOptions {
  /** Items per scan page (DynamoDB's Limit; the 1 MB cap still applies). @default DEFAULT_SCAN_PAGE_SIZE */
  readonly scanPageSize?: number;
}

/** {@link ConnectionStore} on the DynamoDB table the stack creates. */
export class DynamoConnectionStore implements ConnectionStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: DynamoConnectionStoreOptions = {},
  ) {}

  async add(connectionId: string, connectedAt: Date, { subject, protocol }: ConnectionDetails = {}): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          [CONNECTION_ID_ATTRIBUTE]: connectionId,
          [CONNECTED_AT_ATTRIBUTE]: connectedAt.toISOString(),
          [EXPIRES_AT_ATTRIBUTE]: epochSeconds(connectedAt) + CONNECTION_TTL_SECONDS,
          ...(subject === undefined ? {} : { [SUBJECT_ATTRIBUTE]: subject }),
          ...(protocol === undefined ? {} : { [PROTOCOL_ATTRIBUTE]: protocol }),
        },
      }),
    );
  }

  async remove(connectionId: string, signal?: AbortSignal): Promise<void> {
    // DeleteItem of a missing key is a success in DynamoDB: $disconnect stays idempotent for free.
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { [CONNECTION_ID_ATTRIBUTE]: connectionId } }), { abortSignal: signal });
  }

  async *recipients(now: Date, segment?: ScanSegment): AsyncIterable<Recipient> {
    for await (const page of this.pages(this.recipientScan(now), segment)) yield* recipientsOf(page.Items);
  }

  async count(now: Date, parallelism: number): Promise<number> {
    const counts = await Promise.all(
      Array.from({ length: parallelism }, async (_, segment) => {
        let total = 0;
        for await (const page of this.pages({ ...this.liveIds(now), Select: "COUNT" }, { segment, totalSegments: parallelism })) total += page.Count ?? 0;
        return total;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  async firstPage(now: Date, maxItems: number): Promise<RecipientPage> {
    // Limit bounds the items READ, expired ones included: no LastEvaluatedKey means the page was the
    // whole table; with one, the table is bigger (or hit the 1 MB page cap).
    // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html#DDB-Scan-request-Limit
    const page = await this.client.send(new ScanCommand({ ...this.recipientScan(now), Limit: Math.max(1, maxItems) }));
    return { recipients: [...recipientsOf(page.Items)], complete: page.LastEvaluatedKey === undefined };
  }

  /** The scan of live recipients: the id and the protocol version only, so more ids fit in each 1 MB page. */
  private recipientScan(now: Date) {
    const live = this.liveIds(now);
    return {
      ...live,
      ProjectionExpression: "#id, #protocol",
      ExpressionAttributeNames: { ...live.ExpressionAttributeNames, "#id": CONNECTION_ID_ATTRIBUTE, "#protocol": PROTOCOL_ATTRIBUTE },
    };
  }

  /** The scan of ids that have not expired (callers project the few attributes they need, so more ids fit in each 1 MB page). */
  private liveIds(now: Date) {
    return {
      TableName: this.tableName,
      // TTL deletes lazily (within days): skip ids that expired but are still listed.
      FilterExpression: "#exp > :now",
      ExpressionAttributeNames: { "#exp": EXPIRES_AT_ATTRIBUTE },
      ExpressionAttributeValues: { ":now": epochSeconds(now) },
    };
  }

  private pages(input: ScanCommandInput, segment?: ScanSegment) {
    const segmented = segment ? { Segment: segment.segment, TotalSegments: segment.totalSegments } : {};
    return paginateScan({ client: this.client, pageSize: this.options.scanPageSize ?? DEFAULT_SCAN_PAGE_SIZE }, { ...input, ...segmented });
  }
}

/** The recipients among a page's items (`connectionId` and, when stored, `protocol`). */
export function* recipientsOf(items: ReadonlyArray<Record<string, unknown>> | undefined): Iterable<Recipient> {
  for (const item of items ?? []) {
    const id: unknown = item[CONNECTION_ID_ATTRIBUTE];
    const protocol: unknown = item[PROTOCOL_ATTRIBUTE];
    if (typeof id === "string") yield { connectionId: id, ...(typeof protocol === "string" ? { protocol } : {}) };
  }
}

export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
