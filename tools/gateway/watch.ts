import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { watch } from "node:fs";
import { basename, join, relative } from "node:path";

export interface WatchOptions {
  /** Folders whose files, at any depth, restart the process when they change. */
  readonly paths: readonly string[];
  /** Starts the watched process (here: `npm run dev` without `--watch`). */
  readonly start: () => ChildProcess;
  /** Where the lines about changes and restarts go. */
  readonly log: (line: string) => void;
  /** Quiet time after the last change before restarting: editors write a file in several steps. @default 150 */
  readonly debounceMs?: number;
}

/** Dot files and backups (`.x.swp`, `x~`) are editors' scratch files, not sources. */
function isScratch(file: string): boolean {
  const name = basename(file);
  return name.startsWith(".") || name.endsWith("~");
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  await exited;
}

/**
 * Runs `start()` and restarts it whenever a file under `paths` changes; a process that exits on
 * its own (a syntax error, a taken port) is started again at the next change. A restart, not a
 * module reload: the handlers read their settings once, at module load, and are cached by Node.
 * SIGINT/SIGTERM stop the process with SIGTERM and resolve with its exit code.
 */
export async function runWatched(options: WatchOptions): Promise<number> {
  const { log } = options;
  let stopping = false;
  const replaced = new WeakSet<ChildProcess>();
  const launch = () => {
    const started = options.start();
    started.once("exit", (code, signal) => {
      if (!stopping && !replaced.has(started)) log(`the gateway exited (${signal ?? `code ${code}`}); it restarts when a watched file changes`);
    });
    return started;
  };
  let child = launch();

  let changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let restarts = Promise.resolve();
  const restart = async () => {
    const files = [...changed].sort();
    changed = new Set();
    log(`changed: ${files.join(", ")}; restarting the gateway (open sockets close, the in-memory table starts empty)`);
    replaced.add(child);
    await stop(child);
    if (!stopping) child = launch();
  };
  const watchers = options.paths.map((dir) =>
    watch(dir, { recursive: true }, (_event, file) => {
      if (file === null || isScratch(file)) return;
      changed.add(relative(process.cwd(), join(dir, file)));
      clearTimeout(timer);
      timer = setTimeout(() => (restarts = restarts.then(restart)), options.debounceMs ?? 150);
    }),
  );
  log(`watching ${options.paths.map((dir) => relative(process.cwd(), dir) || ".").join(", ")}: a change restarts the gateway`);

  // Ctrl-C reaches the gateway from the terminal too; it handles SIGINT and SIGTERM once each.
  await Promise.race([once(process, "SIGINT"), once(process, "SIGTERM")]);
  stopping = true;
  clearTimeout(timer);
  for (const watcher of watchers) watcher.close();
  await restarts;
  await stop(child);
  return child.exitCode ?? 1;
}
