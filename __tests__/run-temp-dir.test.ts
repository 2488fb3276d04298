import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeRunDir } from "./support/run-temp-dir";

// The test run's own temporary folder: a run that was killed before its teardown leaves its folder,
// and the next run removes it; a run that is still going keeps its own.
describe("a test run's temporary folder", () => {
  test("the next run removes the folders of runs whose process is gone, keeps live runs' folders and links the shared caches", () => {
    const parent = mkdtempSync(join(tmpdir(), "wscf-run-dirs-"));
    const gone = spawnSync(process.execPath, ["-e", ""]).pid;
    const abandoned = join(parent, `wscf-test-run-${gone}-AbCdEf`);
    const running = join(parent, `wscf-test-run-${process.pid}-GhIjKl`);
    const other = join(parent, "wscf-lambda-bundles");
    for (const dir of [abandoned, running, other]) mkdirSync(join(dir, "inside"), { recursive: true });

    const runDir = makeRunDir(parent, ["wscf-lambda-bundles", "other-cache"]);

    expect(existsSync(abandoned)).toBe(false);
    expect(existsSync(join(running, "inside"))).toBe(true);
    expect(existsSync(join(other, "inside"))).toBe(true);
    expect(runDir.startsWith(join(parent, `wscf-test-run-${process.pid}-`))).toBe(true);
    expect(lstatSync(join(runDir, "wscf-lambda-bundles")).isSymbolicLink()).toBe(true);
    expect(existsSync(join(runDir, "wscf-lambda-bundles", "inside"))).toBe(true);
    expect(lstatSync(join(parent, "other-cache")).isDirectory()).toBe(true);
  });
});
