import { Testing } from "cdktf";
import { ChatStack } from "../../src/app/chat-stack";
import type { ConfigInput } from "../../src/config/config";
import { parseConfig } from "../../src/config/parse-config";

/** A synthesized stack: the JSON string (for cdktf's matchers) and its parsed form. */
export interface Synthesized {
  readonly json: string;
  readonly tf: TerraformJson;
}

// The synthesized Terraform JSON is untyped by nature; tests index it by resource type and name.
export type TerraformJson = Record<string, any>;

/** GIVEN a configuration (defaults for what it leaves out) WHEN the stack is synthesized. */
export function synthStack(input: ConfigInput = {}): Synthesized {
  const { config, issues } = parseConfig(input);
  if (config === undefined) throw new Error(`invalid test configuration: ${JSON.stringify(issues)}`);
  const app = Testing.app();
  const stack = new ChatStack(app, "test", { config });
  const json = Testing.synth(stack);
  return { json, tf: JSON.parse(json) };
}

/** The resources of one type, as an array of their bodies. */
export function resourcesOf(tf: TerraformJson, type: string): any[] {
  return Object.values(tf.resource?.[type] ?? {});
}

/** The only resource of `type`; fails the test when there is not exactly one. */
export function onlyResource(tf: TerraformJson, type: string): any {
  const all = resourcesOf(tf, type);
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** The policy documents (data.aws_iam_policy_document) keyed by logical id. */
export function policyDocuments(tf: TerraformJson): Record<string, any> {
  return tf.data?.aws_iam_policy_document ?? {};
}
