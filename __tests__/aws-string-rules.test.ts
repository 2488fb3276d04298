import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { Testing } from "cdktf";
import { ChatStack } from "../src/app/chat-stack";
import {
  awsStringProblems,
  KMS_ALIAS_NAME,
  ruleProblem,
  S3_BUCKET_NAME,
  S3_RESERVED_PREFIXES,
  S3_RESERVED_SUFFIXES,
  STRING_RULES_BY_RESOURCE,
  WAF_DESCRIPTION,
  WAF_METRIC_NAME,
} from "../src/aws/string-rules";
import type { ConfigInput } from "../src/config/config";
import { parseConfig } from "../src/config/parse-config";
import { synthStack } from "./support/synth";
import { OWN_DOMAIN } from "./support/config-fixtures";

/** Every option that adds resources or strings: auth, WAF, alarm e-mail, plain ws, tags, a longer prefix. */
const ALL_OPTIONS: ConfigInput = {
  ...OWN_DOMAIN,
  namePrefix: "chat-prod-eu-west-01",
  allowPlainWs: true,
  auth: { type: "jwt", issuer: "https://cognito-idp.ap-northeast-1.amazonaws.com/ap-northeast-1_AbCdEf123", audience: "client123" },
  waf: { enabled: true, rateLimit: 100 },
  alarmEmail: "ops@example.org",
  tags: { team: "chat platform", "cost-center": "a/b:c=d+e@f" },
};

describe("every string the stack sends to AWS is one AWS accepts (the service API references' rules)", () => {
  test.each([
    ["the default configuration", {}],
    ["every option on (auth jwt, WAF, alarm e-mail, plain ws, tags, a 20-character prefix)", ALL_OPTIONS],
  ])("%s: no name, description, comment, metric or rule name, alias or tag breaks its rule", (_case, input) => {
    const { tf } = synthStack(input);
    expect(awsStringProblems(tf)).toEqual([]);
    // The walk reaches what it checks: every constrained resource type of the stack is in the table.
    const types = Object.keys(tf.resource);
    expect(types.filter((type) => type in STRING_RULES_BY_RESOURCE).length).toBeGreaterThanOrEqual(15);
  });

  test("the web ACL's description was refused by CreateWebACL for its apostrophe; the stack's passes", () => {
    expect(ruleProblem(WAF_DESCRIPTION, "Rate limit per client IP and AWS's IP reputation list, in front of the chat")).toMatch(
      /^may only contain .*API_CreateWebACL\.html\)$/,
    );
    const acl = Object.values<{ description: string }>(synthStack(ALL_OPTIONS).tf.resource.aws_wafv2_web_acl)[0];
    expect(ruleProblem(WAF_DESCRIPTION, acl.description)).toBeUndefined();
  });

  test.each([
    ["a WAF metric name that WAF reserves", WAF_METRIC_NAME, "All", /reserves/],
    ["a WAF metric name with a space", WAF_METRIC_NAME, "edge rate", /may only contain/],
    ["a WAF metric name of 129 characters", WAF_METRIC_NAME, "x".repeat(129), /1-128 characters/],
    ["a KMS alias in the AWS managed keys' namespace", KMS_ALIAS_NAME, "alias/aws/chat", /alias\/aws\//],
    ["a bucket name with two adjacent periods", S3_BUCKET_NAME, "chat..site", /adjacent periods/],
    ["a bucket name that is an IP address", S3_BUCKET_NAME, "192.168.5.4", /IP address/],
  ])("%s is refused with the reason", (_case, rule, value, reason) => {
    expect(ruleProblem(rule, value)).toMatch(reason);
  });

  test("S3's reserved bucket-name prefixes and suffixes are refused", () => {
    for (const prefix of S3_RESERVED_PREFIXES) expect(ruleProblem(S3_BUCKET_NAME, `${prefix}chat-site-0000`)).toMatch(`may not start with ${prefix}`);
    for (const suffix of S3_RESERVED_SUFFIXES) expect(ruleProblem(S3_BUCKET_NAME, `chat-site${suffix}`)).toMatch(`may not end with ${suffix}`);
    expect(ruleProblem(S3_BUCKET_NAME, "chat-site-0000")).toBeUndefined();
  });

  test.each(S3_RESERVED_PREFIXES.map((prefix) => [`${prefix}chat`.slice(0, 20)]))(
    "a namePrefix %s, which starts the site bucket's name with a prefix S3 reserves, is a configuration error naming namePrefix",
    (namePrefix) => {
      const { issues } = parseConfig({ ...OWN_DOMAIN, namePrefix });
      expect(issues).toEqual([
        expect.objectContaining({ path: ["namePrefix"], message: expect.stringMatching(/^makes the site bucket's name .* which may not start with/) }),
      ]);
    },
  );

  test("a string AWS would refuse fails the synth, naming the resource, the field and the rule's source", () => {
    const { config } = parseConfig({});
    const stack = new ChatStack(Testing.app(), "test", { config: config! });
    new SqsQueue(stack, "extra-queue", { name: "jobs of chat" });
    expect(() => Testing.synth(stack, true)).toThrow(
      /aws_sqs_queue\.extra-queue\.name may only contain letters, digits, '-' and '_' \(https:\/\/docs\.aws\.amazon\.com\/AWSSimpleQueueService\/.*; got "jobs of chat"/,
    );
  });
});
