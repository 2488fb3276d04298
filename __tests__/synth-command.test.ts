import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";

const ROOT = resolve(__dirname, "..");
// A bare environment (no WSCF_* of the developer's shell), with the test run's temporary folder.
const ENV = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, CHECKPOINT_DISABLE: "1" };

/** Every file below `dir` with its bytes, keyed by relative path. */
function filesOf(dir: string): Map<string, Buffer> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return new Map(files.map((e) => [relative(dir, join(e.parentPath, e.name)), readFileSync(join(e.parentPath, e.name))]));
}

jest.setTimeout(60_000);

describe("npm run synth writes what cdktf synth writes, without the CLI", () => {
  test("byte-identical cdktf.out (manifest, stack JSON, every asset), and the app's warnings are printed", () => {
    const ours = join(mkdtempSync(join(tmpdir(), "wscf-synth-npm-")), "cdktf.out");
    const cli = join(mkdtempSync(join(tmpdir(), "wscf-synth-cli-")), "cdktf.out");
    const npm = spawnSync("npm", ["run", "--silent", "synth"], { cwd: ROOT, env: { ...ENV, CDKTF_OUTDIR: ours }, encoding: "utf8" });
    expect(npm.status).toBe(0);
    expect(npm.stderr).toMatch(/^WARN \[websocket-cloudfront\]: Synthesized for the example domain chat\.example\.com/m);
    expect(npm.stdout).toContain("Generated Terraform code for the stacks: websocket-cloudfront");
    const viaCli = spawnSync("npx", ["cdktf", "synth", "--output", cli], { cwd: ROOT, env: ENV, encoding: "utf8" });
    expect(viaCli.status).toBe(0);
    const a = filesOf(ours);
    const b = filesOf(cli);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [path, bytes] of a) expect({ path, same: bytes.equals(b.get(path)!) }).toEqual({ path, same: true });
  });
});
