import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import type { LambdaBundle } from "./lambda-bundle";
import { LAMBDA_RUNTIME } from "./lambda-node";

export interface ChatFunctionProps {
  /** Physical function name; also names its role and log group. */
  readonly functionName: string;
  /** The handler's zip (index.js exporting `handler`), made at synth by `bundleHandlers`. */
  readonly bundle: LambdaBundle;
  /** Environment variables: the settings the handler reads (R10). */
  readonly environment: Record<string, string>;
  /** What the handler may do besides writing its own logs. */
  readonly statements: DataAwsIamPolicyDocumentStatement[];
  /** Retention of the function's log group. */
  readonly logRetentionDays: number;
  /** @default 10 seconds */
  readonly timeoutSeconds?: number;
  /** @default 256 MiB */
  readonly memoryMiB?: number;
}

/**
 * One Lambda function with its own role, inline least-privilege policy and log group.
 * Node.js (the major in .nvmrc) on arm64 (Graviton: cheaper per GB-second, and the bundle has no native code).
 */
export class ChatFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: ChatFunctionProps) {
    super(scope, id);
    const asset = new TerraformAsset(this, "code", { path: props.bundle.zipPath, type: AssetType.FILE });

    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays,
    });

    const assumeRole = new DataAwsIamPolicyDocument(this, "assume-role", {
      statement: [{ effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }] }],
    });
    this.role = new IamRole(this, "role", { name: props.functionName, assumeRolePolicy: assumeRole.json });

    const permissions = new DataAwsIamPolicyDocument(this, "permissions", {
      statement: [
        // Only its own log group: the group is created here, so Lambda needs no CreateLogGroup.
        { effect: "Allow", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${this.logGroup.arn}:*`] },
        ...props.statements,
      ],
    });
    const policy = new IamRolePolicy(this, "policy", { name: "least-privilege", role: this.role.id, policy: permissions.json });

    this.function = new LambdaFunction(this, "function", {
      functionName: props.functionName,
      role: this.role.arn,
      runtime: LAMBDA_RUNTIME,
      architectures: ["arm64"],
      handler: "index.handler",
      filename: asset.path,
      sourceCodeHash: props.bundle.sourceCodeHash,
      timeout: props.timeoutSeconds ?? 10,
      memorySize: props.memoryMiB ?? 256,
      environment: { variables: props.environment },
      loggingConfig: { logFormat: "JSON", logGroup: this.logGroup.name },
      // The first invocation after a fresh apply must already find its log group and permissions.
      dependsOn: [this.logGroup, policy],
    });
  }
}
