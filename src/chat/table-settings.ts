import type { DynamodbTableConfig } from "@cdktf/provider-aws/lib/dynamodb-table";
import { EXPIRES_AT_ATTRIBUTE } from "../../lambdas/contract/table-schema";

/**
 * What every table of the chat shares: on-demand, encrypted, point-in-time recovery, and the TTL
 * attribute (lambdas/contract/table-schema.ts) that drops rows whose `$disconnect` never came.
 */
export const TABLE_SETTINGS = {
  billingMode: "PAY_PER_REQUEST",
  ttl: { attributeName: EXPIRES_AT_ATTRIBUTE, enabled: true },
  serverSideEncryption: { enabled: true },
  pointInTimeRecovery: { enabled: true },
  deletionProtectionEnabled: false,
} as const satisfies Partial<DynamodbTableConfig>;
