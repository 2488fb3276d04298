/**
 * The connections table's attribute names. Shared by the stack (which creates the table) and the
 * handlers (which read and write it), so that the key and the TTL attribute cannot drift apart.
 */

/** Partition key: the API Gateway connection id. */
export const CONNECTION_ID_ATTRIBUTE = "connectionId";
/** TTL attribute, in epoch seconds: DynamoDB drops ids whose $disconnect never came. */
export const EXPIRES_AT_ATTRIBUTE = "expiresAt";
/** When the connection was stored, ISO 8601: helps tell a stale id from a live one when reading the table. */
export const CONNECTED_AT_ATTRIBUTE = "connectedAt";
/** The `sub` of the token the connection was authorized with (auth "jwt" only): who is behind a connection id. */
export const SUBJECT_ATTRIBUTE = "subject";
/** The connection's message token bucket: the epoch millisecond at which it is full again (lambdas/rate/bucket.ts). */
export const BUCKET_FULL_AT_ATTRIBUTE = "bucketFullAt";
/** Messages refused since the bucket was last full: past a bound, the connection is closed (lambdas/rate/check.ts). */
export const REFUSALS_ATTRIBUTE = "refusals";
/**
 * The chat protocol version the connection negotiated at `$connect` (lambdas/contract/auth-subprotocol.ts);
 * absent when it offered none. API Gateway passes the handshake's headers to `$connect` only, so
 * whoever posts to the connection later reads the version here.
 */
export const PROTOCOL_ATTRIBUTE = "protocol";

/** On a connection's row: the set of channels it is subscribed to (a string set), read back by `$disconnect` to remove its memberships. */
export const CHANNELS_ATTRIBUTE = "channels";

/**
 * The channel members table: one item per (channel, connection). Partition key: the channel, so
 * a publish Queries its members and never reads anyone else's. TTL: {@link EXPIRES_AT_ATTRIBUTE},
 * the connection's own, so memberships whose `$disconnect` never came expire with it.
 */
export const MEMBER_CHANNEL_ATTRIBUTE = "channel";
/**
 * Sort key: `<bucket>#<connectionId>`, the bucket (000-999) a hash of the id (lambdas/channels/members.ts).
 * A split publish gives each fan-out job a range of buckets, so segments are even without a Scan.
 */
export const MEMBER_KEY_ATTRIBUTE = "member";
/** Buckets of a channel's members: the most segments a split publish can have. */
export const MEMBER_BUCKETS = 1000;
