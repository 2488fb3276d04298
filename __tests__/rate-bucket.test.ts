import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoConnectionStore } from "../lambdas/base/store";
import { DynamoMessageRateLimiter } from "../lambdas/rate/bucket";
import { BUCKET_FULL_AT_ATTRIBUTE } from "../lambdas/contract/table-schema";
import { type LocalDynamo, startDynalite } from "../tools/fakes/dynalite";

const TABLE = "connections";
const T0 = new Date("2026-11-25T00:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

describe("the per-connection token bucket on the connection's row (conditional UpdateItem, against dynalite)", () => {
  let dynamo: LocalDynamo;
  let documents: DynamoDBDocumentClient;
  let store: DynamoConnectionStore;
  const limiter = () => new DynamoMessageRateLimiter(documents, TABLE, { perSecond: 5, burst: 20, maxRefusals: 50 });
  /** Whether `take` allowed the message. */
  const allowed = (bucket: DynamoMessageRateLimiter, id: string, now: Date) => bucket.take(id, now).then((result) => result.allowed);

  beforeAll(async () => {
    dynamo = await startDynalite();
    await dynamo.createConnectionsTable(TABLE);
    documents = DynamoDBDocumentClient.from(dynamo.client);
    store = new DynamoConnectionStore(documents, TABLE);
  });
  afterAll(() => dynamo.stop());

  test("a quiet connection sends its burst of 20 at once, then 1 per 200 ms (5 a second)", async () => {
    await store.add("quiet", T0);
    const bucket = limiter();
    const burst = [];
    for (let i = 0; i < 21; i++) burst.push(await allowed(bucket, "quiet", T0));
    expect(burst.filter(Boolean)).toHaveLength(20);
    expect(burst[20]).toBe(false);
    expect(await allowed(bucket, "quiet", at(199))).toBe(false);
    expect(await allowed(bucket, "quiet", at(200))).toBe(true);
    expect(await allowed(bucket, "quiet", at(200))).toBe(false);
    // A second later five more tokens are back, and after 4 s of quiet the whole burst.
    expect(await allowed(bucket, "quiet", at(1200))).toBe(true);
    const refilled = [];
    for (let i = 0; i < 21; i++) refilled.push(await allowed(bucket, "quiet", at(10_000)));
    expect(refilled.filter(Boolean)).toHaveLength(20);
  });

  test("40 concurrent messages spend exactly the 20 tokens: none spends a token twice", async () => {
    await store.add("racing", T0);
    const bucket = limiter();
    const results = await Promise.all(Array.from({ length: 40 }, () => allowed(bucket, "racing", T0)));
    expect(results.filter(Boolean)).toHaveLength(20);
  });

  test("refusals pile up while the bucket stays empty and start over once it has filled again", async () => {
    await store.add("flooder", T0);
    const bucket = limiter();
    for (let i = 0; i < 20; i++) await bucket.take("flooder", T0);
    const refused = [];
    for (let i = 0; i < 3; i++) refused.push(await bucket.take("flooder", T0));
    expect(refused).toEqual([1, 2, 3].map((refusals) => ({ allowed: false, refusals })));
    // One token back (200 ms later) is spent without clearing the count: the client never let the bucket fill.
    expect(await bucket.take("flooder", at(200))).toEqual({ allowed: true });
    expect(await bucket.take("flooder", at(200))).toEqual({ allowed: false, refusals: 4 });
    // After 4 s of quiet the bucket is full: the count starts over.
    expect(await bucket.take("flooder", at(10_000))).toEqual({ allowed: true });
    for (let i = 0; i < 19; i++) await bucket.take("flooder", at(10_000));
    expect(await bucket.take("flooder", at(10_000))).toEqual({ allowed: false, refusals: 1 });
  });

  test("a connection without a row gets no tokens, and no row is created for it", async () => {
    expect(await limiter().take("gone", T0)).toEqual({ allowed: false, refusals: 0 });
    const item = await dynamo.client.send(new GetItemCommand({ TableName: TABLE, Key: { connectionId: { S: "gone" } } }));
    expect(item.Item).toBeUndefined();
  });

  test("the bucket is one number on the connection's own row", async () => {
    await store.add("row", T0, { subject: "user-7" });
    await limiter().take("row", T0);
    const item = await dynamo.client.send(new GetItemCommand({ TableName: TABLE, Key: { connectionId: { S: "row" } }, ConsistentRead: true }));
    expect(item.Item).toMatchObject({ subject: { S: "user-7" }, [BUCKET_FULL_AT_ATTRIBUTE]: { N: String(T0.getTime() + 200) } });
  });
});
