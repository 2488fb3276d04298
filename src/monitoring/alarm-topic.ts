import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsKeyPolicy } from "@cdktf/provider-aws/lib/kms-key-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Fn, TerraformLocal } from "cdktf";
import { Construct } from "constructs";

export interface AlarmTopicProps {
  /** Physical name of the topic; the key's alias is `alias/<topicName>`. */
  readonly topicName: string;
  /**
   * Provider of the region whose alarms publish here. CloudFront's alarm must live in us-east-1
   * with its metric (aws/aws-cdk#30483: "Cannot create an Alarm in region … based on metric … in
   * us-east-1"), and each region's alarms notify a topic of their own region.
   */
  readonly provider: AwsProvider;
  /** Address that receives the alarms by e-mail (AWS mails a confirmation link first). @default - no subscription */
  readonly email?: string;
}

/** CloudWatch alarms' service principal, which publishes to the topic and so encrypts with its key. */
const CLOUDWATCH = "cloudwatch.amazonaws.com";

/**
 * The SNS topic that one region's alarms notify, encrypted with its own customer managed KMS key.
 * CloudWatch alarms cannot publish to a topic encrypted with the AWS managed key (alias/aws/sns):
 * the key's policy must let cloudwatch.amazonaws.com call kms:Decrypt and kms:GenerateDataKey*
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
 */
export class AlarmTopic extends Construct {
  readonly topic: SnsTopic;
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const { provider } = props;

    this.key = new KmsKey(this, "key", {
      provider,
      description: `Encrypts the SNS topic ${props.topicName}, which CloudWatch alarms notify`,
      enableKeyRotation: true,
    });
    new KmsAlias(this, "alias", { provider, name: `alias/${props.topicName}`, targetKeyId: this.key.keyId });

    // Partition, region and account come from the key's own ARN (arn:<partition>:kms:<region>:<account>:key/<id>),
    // so the plan needs no call to AWS; hence the key's policy is its own resource, set once the key exists.
    // Locals keep the policies plain JSON strings (no quotes inside their ${…}), readable in the synthesized stack.
    const [partition, region, account] = (
      [
        ["partition", 1],
        ["region", 3],
        ["account", 4],
      ] as const
    ).map(([name, index]) => new TerraformLocal(this, name, Fn.element(Fn.split(":", this.key.arn), index)).asString);
    const keyPolicy = new KmsKeyPolicy(this, "key-policy", {
      provider,
      keyId: this.key.keyId,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            // AWS's default key policy statement: the account administers the key through IAM, so it can never be locked out.
            Sid: "AccountAdministersKey",
            Effect: "Allow",
            Principal: { AWS: `arn:${partition}:iam::${account}:root` },
            Action: "kms:*",
            Resource: "*",
          },
          {
            Sid: "CloudWatchAlarmsEncryptNotifications",
            Effect: "Allow",
            Principal: { Service: CLOUDWATCH },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
          },
        ],
      }),
    });

    // After the key's policy: from its first notification on, CloudWatch may use the key.
    this.topic = new SnsTopic(this, "topic", { provider, name: props.topicName, kmsMasterKeyId: this.key.arn, dependsOn: [keyPolicy] });

    // Only this account's alarms, in this region, may publish (no confused deputy through CloudWatch).
    new SnsTopicPolicy(this, "topic-policy", {
      provider,
      arn: this.topic.arn,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "CloudWatchAlarmsOfThisAccountPublish",
            Effect: "Allow",
            Principal: { Service: CLOUDWATCH },
            Action: "sns:Publish",
            Resource: this.topic.arn,
            Condition: {
              StringEquals: { "aws:SourceAccount": account },
              ArnLike: { "aws:SourceArn": `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
            },
          },
        ],
      }),
    });

    if (props.email !== undefined) {
      new SnsTopicSubscription(this, "email", { provider, topicArn: this.topic.arn, protocol: "email", endpoint: props.email });
    }
  }
}
