import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

// The type check of the whole tree (tests, tools, handlers, app), as a suite: it runs beside the
// other suites instead of before them (Jest's swc transform strips types without checking them).
// Incremental: the build info in .cache/tsc/ makes a check after a small change take seconds.
const ROOT = join(__dirname, "..");
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");

test("the tree type-checks (tsc --noEmit)", async () => {
  const args = [TSC, "--noEmit", "--incremental", "--tsBuildInfoFile", join(ROOT, ".cache", "tsc", "noemit.tsbuildinfo"), "-p", ROOT];
  const errors = await promisify(execFile)(process.execPath, args, { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }).then(
    () => "",
    (failure: { stdout?: string; message: string }) => failure.stdout || failure.message,
  );
  // tsc's own report, one line per error with its file and position.
  expect(errors).toBe("");
}, 300_000); // a cold check takes about 15 s of CPU; minutes on a 2-core machine shared with other suites
