import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { Construct } from "constructs";
import { CONNECTION_ID_ATTRIBUTE } from "../../lambdas/contract/table-schema";
import { TABLE_SETTINGS } from "./table-settings";

/** Actions a handler may be granted on the connections table. */
export type TableAction = "dynamodb:PutItem" | "dynamodb:DeleteItem" | "dynamodb:Scan" | "dynamodb:GetItem" | "dynamodb:UpdateItem";

export interface ConnectionsTableProps {
  /** Physical table name. */
  readonly tableName: string;
}

/**
 * R9: the table of open connection ids. On-demand, encrypted with the AWS-managed KMS key,
 * point-in-time recovery, TTL so that ids missed by $disconnect do not pile up.
 */
export class ConnectionsTable extends Construct {
  readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: ConnectionsTableProps) {
    super(scope, id);
    this.table = new DynamodbTable(this, "table", {
      ...TABLE_SETTINGS,
      name: props.tableName,
      hashKey: CONNECTION_ID_ATTRIBUTE,
      attribute: [{ name: CONNECTION_ID_ATTRIBUTE, type: "S" }],
    });
  }

  /** A policy statement that allows exactly `actions` on this table and nothing else. */
  grant(...actions: TableAction[]): DataAwsIamPolicyDocumentStatement {
    return { effect: "Allow", actions, resources: [this.table.arn] };
  }
}
