import { readFileSync } from "node:fs";
import { join } from "node:path";
import { synthStack, type TerraformJson } from "./support/synth";

/** Every resource and data source address of a synthesized stack, sorted. */
function addressesOf(tf: TerraformJson): string[] {
  const addresses: string[] = [];
  for (const [kind, prefix] of [
    ["resource", ""],
    ["data", "data."],
  ] as const) {
    for (const [type, blocks] of Object.entries(tf[kind] ?? {})) {
      for (const name of Object.keys(blocks as object)) addresses.push(`${prefix}${type}.${name}`);
    }
  }
  return addresses.sort();
}

describe("the default stack's Terraform addresses", () => {
  test("still include every address deployments already hold: a changed or dropped address would destroy that resource", () => {
    // Pinned from the stack as deployed before the front door became a construct of its own.
    const pinned = readFileSync(join(__dirname, "support", "default-stack-addresses.txt"), "utf8")
      .trim()
      .split("\n");
    const { tf } = synthStack();
    expect(addressesOf(tf)).toEqual(expect.arrayContaining(pinned));
    expect(tf.moved).toBeUndefined();
  });
});
