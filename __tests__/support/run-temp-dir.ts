// The temporary folder of one test run (global-setup.js makes it, global-teardown.js removes it).
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";

/** A run folder's name: this prefix, the run's process id, a dash, mkdtemp's random suffix. */
const PREFIX = "wscf-test-run-";
const RUN_DIR = new RegExp(`^${PREFIX}(\\d+)-`);

/** Whether a process with this id is running (signal 0 only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes the folders of runs whose Jest process is gone: a run stopped with Ctrl-C or killed
 * skips its teardown. Each folder's name carries its run's process id; a run still going keeps its
 * folder, also one beside this run.
 */
export function removeAbandonedRunDirs(parent: string): void {
  for (const name of readdirSync(parent)) {
    const match = RUN_DIR.exec(name);
    if (match !== null && !alive(Number(match[1]))) rmSync(join(parent, name), { recursive: true, force: true });
  }
}

/** A fresh folder for this run in `parent`, with `sharedCaches` (folders of `parent`) linked into it. */
export function makeRunDir(parent: string, sharedCaches: readonly string[]): string {
  removeAbandonedRunDirs(parent);
  const runDir = mkdtempSync(join(parent, `${PREFIX}${process.pid}-`));
  for (const cache of sharedCaches) {
    mkdirSync(join(parent, cache), { recursive: true });
    symlinkSync(join(parent, cache), join(runDir, cache));
  }
  return runDir;
}
