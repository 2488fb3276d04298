import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { STACK_NAME } from "../../src/app/stack-name";

/** What one run of the app printed and wrote. */
export interface AppRun {
  readonly status: number | null;
  readonly stderr: string;
  /** The cdktf output folder the run was pointed at (it may not exist). */
  readonly outdir: string;
  /** The stack folder inside it. */
  readonly stackDir: string;
}

const ROOT = resolve(__dirname, "..", "..");

/**
 * Runs the built app (dist/main.js, made by the jest global setup) as `cdktf synth` would, with
 * only the given WSCF_* variables, writing into a fresh temporary folder.
 */
export function runApp(env: Record<string, string> = {}): AppRun {
  const outdir = join(mkdtempSync(join(tmpdir(), "wscf-synth-")), "cdktf.out");
  const result = spawnSync(process.execPath, [join(ROOT, "dist", "main.js")], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, CDKTF_OUTDIR: outdir, ...env },
    encoding: "utf8",
  });
  return { status: result.status, stderr: result.stderr, outdir, stackDir: join(outdir, "stacks", STACK_NAME) };
}

/** {@link runApp} without blocking the test's process: several synths run side by side. */
export function runAppAsync(env: Record<string, string> = {}): Promise<AppRun> {
  const outdir = join(mkdtempSync(join(tmpdir(), "wscf-synth-")), "cdktf.out");
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, "dist", "main.js")],
      { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, CDKTF_OUTDIR: outdir, ...env }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        const status = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        resolve({ status, stderr, outdir, stackDir: join(outdir, "stacks", STACK_NAME) });
      },
    );
  });
}
