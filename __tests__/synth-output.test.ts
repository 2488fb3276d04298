import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { bundleHandlers } from "../src/functions/lambda-bundle";
import { runApp } from "./support/run-app";
import { synthStack } from "./support/synth";

/** Every file below `dir` with its bytes, keyed by relative path. */
function snapshotFolder(dir: string): Map<string, Buffer> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return new Map(files.map((e) => [relative(dir, join(e.parentPath, e.name)), readFileSync(join(e.parentPath, e.name))]));
}

describe("synth output", () => {
  test("synthesizing twice gives byte-identical output (JSON and every asset)", () => {
    const first = runApp();
    const second = runApp();
    expect(first.status).toBe(0);
    expect(second.status).toBe(0);
    const a = snapshotFolder(first.outdir);
    const b = snapshotFolder(second.outdir);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [path, bytes] of a) expect({ path, same: bytes.equals(b.get(path)!) }).toEqual({ path, same: true });
    expect([...a.keys()].filter((p) => p.endsWith(".zip"))).toHaveLength(8); // seven route handlers and the fan-out worker
  });

  test("a handler bundle's hash is base64(sha256(zip)), as Lambda reports CodeSha256", () => {
    const entries = { connect: join(__dirname, "..", "lambdas", "connect.ts") };
    const bundle = bundleHandlers(entries).connect;
    expect(createHash("sha256").update(readFileSync(bundle.zipPath)).digest("base64")).toBe(bundle.sourceCodeHash);
    expect(bundleHandlers(entries).connect).toEqual(bundle);
  });

  test("a handler bundle is rebuilt when a file it imports changes, and reused while none does", () => {
    const dir = mkdtempSync(join(tmpdir(), "wscf-bundle-"));
    const outDir = join(dir, "out");
    writeFileSync(join(dir, "greeting.ts"), 'export const greeting = "hello";\n');
    writeFileSync(join(dir, "entry.ts"), 'import { greeting } from "./greeting";\nexport const handler = async () => greeting;\n');
    const entries = { entry: join(dir, "entry.ts") };
    const first = bundleHandlers(entries, outDir).entry;
    const writtenAt = statSync(first.zipPath).mtimeMs;
    expect(bundleHandlers(entries, outDir).entry).toEqual(first);
    expect(statSync(first.zipPath).mtimeMs).toBe(writtenAt); // reused, not rewritten
    writeFileSync(join(dir, "greeting.ts"), 'export const greeting = "hi";\n');
    const changed = bundleHandlers(entries, outDir).entry;
    expect(changed.sourceCodeHash).not.toBe(first.sourceCodeHash);
    writeFileSync(changed.zipPath, "tampered");
    expect(bundleHandlers(entries, outDir).entry).toEqual(changed);
    expect(readFileSync(changed.zipPath).subarray(0, 2).toString()).toBe("PK");
  });

  test("the local backend keeps state at the project root, by a relative path", () => {
    expect(synthStack().tf.terraform.backend).toEqual({ local: { path: "../../../terraform.test.tfstate" } });
  });

  test("the cloud backend names the organization and workspace, so Terraform Cloud runs cdktf.out/stacks/<stack> as it is", () => {
    const { tf } = synthStack({ backend: { type: "cloud", organization: "acme", workspace: "chat-prod" } });
    expect(tf.terraform.cloud).toEqual({ hostname: "app.terraform.io", organization: "acme", workspaces: { name: "chat-prod" } });
    expect(tf.terraform.backend).toBeUndefined();
  });

  test("tags from the configuration become provider default_tags", () => {
    const { tf } = synthStack({ tags: { team: "chat" } });
    for (const provider of tf.provider.aws) {
      expect(provider.default_tags).toEqual([{ tags: { Project: "websocket-cloudfront", team: "chat" } }]);
    }
  });
});
