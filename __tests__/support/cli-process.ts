import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";

/** A port that was free a moment ago (the OS picks it). */
export async function freePort(): Promise<number> {
  const probe = createServer().listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A command started as a user would, with what it printed (stdout and stderr, interleaved). */
export interface Running {
  readonly child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** How package.json's scripts run a TypeScript tool: `node --require ./tools/scripts/run-ts.cjs <file>.ts`. */
export const RUN_TS = ["--require", "./tools/scripts/run-ts.cjs"];

/** Starts `node --require ./tools/scripts/run-ts.cjs <script> ...args` (an npm script's command) and collects what it prints. */
export function startCli(script: string, args: string[], env: Record<string, string | undefined> = {}, cwd = process.cwd()): Running {
  const child = spawn(process.execPath, [...RUN_TS, script, ...args], {
    cwd,
    // undefined: not passed on (the log level is what --quiet decides)
    env: { ...process.env, NODE_NO_WARNINGS: "1", POWERTOOLS_LOG_LEVEL: undefined, ...env },
  });
  let text = "";
  child.stdout!.on("data", (chunk) => (text += chunk));
  child.stderr!.on("data", (chunk) => (text += chunk));
  const exited = once(child, "exit").then(([code]) => code as number | null);
  return { child, output: () => text, exited };
}

/** Starts `npm run dev` (tools/gateway/cli.ts). */
export function startDev(args: string[], env: Record<string, string | undefined> = {}, cwd = process.cwd()): Running {
  return startCli("tools/gateway/cli.ts", args, env, cwd);
}

/** Waits until the command printed `pattern`; throws (with the output) after `ms`, or when it exited first. */
export async function waitFor(running: Running, pattern: RegExp, ms = 45_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pattern.test(running.output())) {
    if (Date.now() > deadline || running.child.exitCode !== null) throw new Error(`never printed ${pattern}:\n${running.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Kills a command if it still runs, after `ms`, so a hung one fails its test instead of the suite. */
export async function finished(running: Running, ms: number): Promise<{ code: number | null; output: string }> {
  const timer = setTimeout(() => running.child.kill("SIGKILL"), ms);
  try {
    return { code: await running.exited, output: running.output() };
  } finally {
    clearTimeout(timer);
  }
}
