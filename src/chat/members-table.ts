import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { Construct } from "constructs";
import { MEMBER_CHANNEL_ATTRIBUTE, MEMBER_KEY_ATTRIBUTE } from "../../lambdas/contract/table-schema";
import { TABLE_SETTINGS } from "./table-settings";

/** Actions a handler may be granted on the members table. */
export type MembersTableAction = "dynamodb:PutItem" | "dynamodb:DeleteItem" | "dynamodb:Query" | "dynamodb:BatchWriteItem";

export interface MembersTableProps {
  /** Physical table name. */
  readonly tableName: string;
}

/**
 * The channel members: partition key the channel, sort key `<bucket>#<connectionId>`
 * (lambdas/contract/table-schema.ts), so a publish Queries one channel and a split publish gives
 * each worker a range of buckets. On-demand, encrypted, point-in-time recovery, and the connection's
 * own TTL, so memberships whose `$disconnect` never came go with the connection.
 */
export class MembersTable extends Construct {
  readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: MembersTableProps) {
    super(scope, id);
    this.table = new DynamodbTable(this, "table", {
      ...TABLE_SETTINGS,
      name: props.tableName,
      hashKey: MEMBER_CHANNEL_ATTRIBUTE,
      rangeKey: MEMBER_KEY_ATTRIBUTE,
      attribute: [
        { name: MEMBER_CHANNEL_ATTRIBUTE, type: "S" },
        { name: MEMBER_KEY_ATTRIBUTE, type: "S" },
      ],
    });
  }

  /** A policy statement that allows exactly `actions` on this table and nothing else. */
  grant(...actions: MembersTableAction[]): DataAwsIamPolicyDocumentStatement {
    return { effect: "Allow", actions, resources: [this.table.arn] };
  }
}
