import { cpus, totalmem } from "node:os";
import { ChannelMembers } from "../../lambdas/channels/members";
import { publishFromServer } from "../../lambdas/routes/server-publish";
import { createDocumentClient, createManagementClient, MANAGEMENT_TUNING } from "../../lambdas/base/clients";
import { SYSTEM_CLOCK } from "../../lambdas/base/clock";
import { SdkConnectionsApi } from "../../lambdas/base/connections-api";
import { sendMessage } from "../../lambdas/routes/sendmessage";
import { DynamoConnectionStore } from "../../lambdas/base/store";
import { wsEvent } from "../../__tests__/support/chat-harness";
import { FakeConnectionsApi } from "../fakes/connections-api";
import { startDynalite } from "../fakes/dynalite";
import { LOCAL_AWS } from "../fakes/local-aws";
import { connectionIds, seedConnections, seedMembers } from "../fakes/seed";
import { silent, silentMetrics } from "./peers";

// npm run bench:channels: a publish to a channel of 1,000 and of 10,000 members in a table of
// BENCH_TABLE connections (default 20,000) beside today's whole-table sendmessage broadcast.
// Items read are counted from each Query/Scan answer's ScannedCount (SDK middleware), the items
// DynamoDB read before filtering, which is what it bills; the time is until the fake @connections
// has accepted the last post (the handler returns after its last post's answer).

const TABLE = Number(process.env.BENCH_TABLE ?? 20_000);
const CHANNELS = [1000, 10_000].filter((size) => size <= TABLE);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const dynamo = await startDynalite();
  const api = await FakeConnectionsApi.start({ recordRequests: false });
  try {
    await dynamo.createConnectionsTable("connections");
    await dynamo.createMembersTable("members");
    const ids = connectionIds(TABLE, "bench-");
    const loading = performance.now();
    await seedConnections(dynamo.client, "connections", ids, api);
    for (const size of CHANNELS) await seedMembers(dynamo.client, "members", `size/${size}`, ids.slice(0, size));
    const loadSeconds = (performance.now() - loading) / 1000;

    const documents = createDocumentClient(undefined, { ...LOCAL_AWS, endpoint: dynamo.endpoint });
    let itemsRead = 0;
    documents.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        itemsRead += (result.output as { ScannedCount?: number }).ScannedCount ?? 0;
        return result;
      },
      { step: "initialize", name: "countItemsRead" },
    );
    const deps = {
      store: new DynamoConnectionStore(documents, "connections"),
      members: new ChannelMembers(documents, "members", "connections"),
      connections: new SdkConnectionsApi(createManagementClient(api.endpoint, MANAGEMENT_TUNING, LOCAL_AWS)),
      logger: silent(),
      metrics: silentMetrics(),
      fanoutConcurrency: 50,
      clock: SYSTEM_CLOCK,
    };

    const variants: Array<[string, number, () => Promise<unknown>]> = [
      ...CHANNELS.map((size): [string, number, () => Promise<unknown>] => [
        `publish to a channel of ${size}`,
        size,
        () => publishFromServer(deps, { channel: `size/${size}`, data: "hello" }),
      ]),
      [
        `sendmessage to everyone (baseline)`,
        TABLE,
        () => sendMessage(deps, wsEvent("sendmessage", ids[0], JSON.stringify({ action: "sendmessage", data: "hello" }))),
      ],
    ];
    const rows: string[] = [];
    const times = new Map<string, number[]>();
    const reads = new Map<string, number>();
    const deliveries = new Map<string, number>();
    // Interleaved rounds after one warm-up, so that the machine's load drifts over all variants alike.
    for (let round = 0; round <= RUNS; round += 1) {
      for (const [name, , run] of variants) {
        const before = { items: itemsRead, delivered: api.delivered };
        const started = performance.now();
        await run();
        const ms = performance.now() - started;
        const delivered = api.delivered - before.delivered;
        if (round === 0) continue;
        // Fewer than all: the handler's deadline (22.5 s after the message) stopped it; shown, not hidden.
        deliveries.set(name, Math.min(deliveries.get(name) ?? delivered, delivered));
        times.set(name, [...(times.get(name) ?? []), ms]);
        reads.set(name, itemsRead - before.items);
      }
    }
    const baseline = percentile(times.get(variants.at(-1)![0])!, 50);
    for (const [name, recipients] of variants) {
      const t = times.get(name)!;
      const p50 = percentile(t, 50);
      rows.push(
        `| ${name} | ${TABLE} | ${recipients} | ${deliveries.get(name)} | ${reads.get(name)} | ${p50.toFixed(0)} ms | ${percentile(t, 99).toFixed(0)} ms | ${(p50 / baseline).toFixed(3)}x |`,
      );
    }
    console.log(
      `${new Date().toISOString().slice(0, 10)}; ${cpus().length} x ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version};`,
    );
    console.log(
      `table of ${TABLE} connections loaded in ${loadSeconds.toFixed(0)} s (plus ${CHANNELS.join(" + ")} member items); ${RUNS} runs after one warm-up`,
    );
    console.log(
      "\n| variant | connections in the table | recipients | delivered (fewest of the runs) | items read per publish | p50 until the last has it | p99 | p50 vs. baseline |",
    );
    console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const row of rows) console.log(row);
  } finally {
    await api.close();
    await dynamo.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
