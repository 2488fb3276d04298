// One flooder beside ten calm clients on the local gateway: how many of the calm clients'
// messages arrive while the flood lasts and once the flooder is cut off, and how fast it is cut off.
// `npm run bench:flood`; each variant runs in its own process, since the handlers read their
// settings once, at module load. The local gateway applies the stage's route throttle (burst 100,
// 50 a second, one bucket per route shared by every connection) as API Gateway does.
import { spawnSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { WebSocket } from "ws";
import { MESSAGE_RATE_ENV, MESSAGE_RATE_LIMITS } from "../../lambdas/contract/rate-settings";
import { QUIET_HANDLERS } from "../gateway/handlers";
import { startDevServer } from "../gateway/server";

const CALM_CLIENTS = 10;
/** Each calm client sends one message a second: a person chatting briskly. */
const CALM_INTERVAL_MS = 1000;
const FLOOD_PER_SECOND = 280;
const FLOOD_STARTS_MS = 1000;
const DURATION_MS = 20_000;
/** Time left for the last messages to arrive before counting. */
const SETTLE_MS = 3000;

const VARIANTS = {
  "cut off": {},
  // A flooder refused but never closed (a bound no flood of this length reaches).
  "never closed": { [MESSAGE_RATE_ENV.maxRefusals]: String(MESSAGE_RATE_LIMITS.maxRefusals) },
} as const satisfies Record<string, Record<string, string>>;
type Variant = keyof typeof VARIANTS;

interface Outcome {
  readonly variant: Variant;
  /** Milliseconds from the flood's start to the flooder's close; undefined when it was never closed. */
  readonly cutOffMs?: number;
  readonly floodSent: number;
  /** Calm messages sent while the flood lasted, and how many of them reached every calm client. */
  readonly during: { sent: number; delivered: number };
  /** Calm messages sent once the flooder was closed (or before the flood), and how many reached every calm client. */
  readonly calm: { sent: number; delivered: number };
  /** API Gateway's "Too Many Requests" frames the calm clients got. */
  readonly calmThrottled: number;
}

function open(url: string): Promise<{ socket: WebSocket; received: string[]; closedAt: Promise<number> }> {
  const socket = new WebSocket(url);
  const received: string[] = [];
  socket.on("message", (data) => received.push(String(data)));
  const closedAt = new Promise<number>((resolve) => socket.once("close", () => resolve(performance.now())));
  return new Promise((resolve, reject) => {
    socket.once("open", () => resolve({ socket, received, closedAt }));
    socket.once("error", reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runVariant(variant: Variant): Promise<Outcome> {
  const server = await startDevServer({ port: 0, handlerEnvironment: { ...QUIET_HANDLERS, ...VARIANTS[variant] } });
  try {
    const calm: Array<Awaited<ReturnType<typeof open>>> = [];
    for (let i = 0; i < CALM_CLIENTS; i += 1) calm.push(await open(server.websocketUrl));
    const flooder = await open(server.websocketUrl);
    const started = performance.now();
    const floodStart = started + FLOOD_STARTS_MS;
    let floodSent = 0;
    let cutOffAt: number | undefined;
    void flooder.closedAt.then((at) => (cutOffAt = at));
    const flood = setInterval(() => {
      const due = Math.floor(((performance.now() - floodStart) * FLOOD_PER_SECOND) / 1000);
      for (; floodSent < due && flooder.socket.readyState === WebSocket.OPEN; floodSent += 1) {
        flooder.socket.send(JSON.stringify({ action: "sendmessage", data: `flood ${floodSent}` }));
      }
    }, 5);
    // Each calm message remembers whether the flooder was still connected when it was sent.
    const sent: Array<{ text: string; duringFlood: boolean }> = [];
    const calmTimers = calm.map((client, i) =>
      setTimeout(
        () => {
          let n = 0;
          const send = () => {
            const now = performance.now();
            const text = `calm ${i} ${n++}`;
            sent.push({ text, duringFlood: now >= floodStart && cutOffAt === undefined });
            client.socket.send(JSON.stringify({ action: "sendmessage", data: text }));
          };
          send();
          calmTimers[i] = setInterval(send, CALM_INTERVAL_MS);
        },
        (i * CALM_INTERVAL_MS) / CALM_CLIENTS,
      ),
    );
    await sleep(DURATION_MS);
    clearInterval(flood);
    for (const timer of calmTimers) clearInterval(timer);
    await sleep(SETTLE_MS);
    const arrivedEverywhere = (text: string) => calm.every((client) => client.received.includes(text));
    const count = (during: boolean) => {
      const ofKind = sent.filter((m) => m.duringFlood === during);
      return { sent: ofKind.length, delivered: ofKind.filter((m) => arrivedEverywhere(m.text)).length };
    };
    const calmThrottled = calm.reduce((n, client) => n + client.received.filter((t) => t.startsWith('{"message": "Too Many Requests"')).length, 0);
    for (const client of [...calm, flooder]) client.socket.terminate();
    return { variant, cutOffMs: cutOffAt === undefined ? undefined : cutOffAt - floodStart, floodSent, during: count(true), calm: count(false), calmThrottled };
  } finally {
    await server.close();
  }
}

const percent = ({ sent, delivered }: { sent: number; delivered: number }) =>
  sent === 0 ? "-" : `${((100 * delivered) / sent).toFixed(1)}% (${delivered}/${sent})`;

async function main(): Promise<void> {
  const child = process.argv[2] as Variant | undefined;
  if (child !== undefined) {
    process.stdout.write(`${JSON.stringify(await runVariant(child))}\n`);
    return;
  }
  const outcomes = (Object.keys(VARIANTS) as Variant[]).map((variant) => {
    const run = spawnSync(process.execPath, [...process.execArgv, __filename, variant], { encoding: "utf8", env: { ...process.env, NODE_NO_WARNINGS: "1" } });
    if (run.status !== 0) throw new Error(`variant ${variant} failed:\n${run.stderr}`);
    return JSON.parse(run.stdout.trim().split("\n").pop()!) as Outcome;
  });
  const cpu = cpus();
  console.log(
    `Flood (${new Date().toISOString().slice(0, 10)}; ${cpu.length} × ${cpu[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ` +
      `local gateway, stage throttle burst 100 / 50 a second, message rate 5 a second / burst 20; ${CALM_CLIENTS} calm clients at 1 message a second, ` +
      `one flooder at ${FLOOD_PER_SECOND} a second from ${FLOOD_STARTS_MS / 1000} s, ${DURATION_MS / 1000} s in all)\n`,
  );
  console.log(
    "| variant | flooder cut off after | flood messages sent | calm delivered while flooding | calm delivered otherwise | calm messages throttled (429 frames) |",
  );
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const o of outcomes) {
    const cut = o.cutOffMs === undefined ? "never" : `${Math.round(o.cutOffMs)} ms`;
    console.log(`| ${o.variant} | ${cut} | ${o.floodSent} | ${percent(o.during)} | ${percent(o.calm)} | ${o.calmThrottled} |`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
