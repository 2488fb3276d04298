import { SYSTEM_CLOCK } from "../../lambdas/base/clock";
import { createDocumentClient, createManagementClient, MANAGEMENT_TUNING } from "../../lambdas/base/clients";
import { SdkConnectionsApi } from "../../lambdas/base/connections-api";
import type { ChatDeps } from "../../lambdas/routes/deps";
import { sendMessage } from "../../lambdas/routes/sendmessage";
import { type ConnectionStore, DynamoConnectionStore } from "../../lambdas/base/store";
import { FANOUT_DEFAULTS, WORKER_SAFETY_SECONDS } from "../../lambdas/contract/fanout-settings";
import { wsEvent } from "../../__tests__/support/chat-harness";
import { FakeConnectionsApi } from "../fakes/connections-api";
import { LOCAL_AWS } from "../fakes/local-aws";
import type { LocalDynamo } from "../fakes/dynalite";
import { median, seededTable, silent, silentMetrics } from "./peers";

// The inline path's cost: sendmessage at 10 and 1,000 recipients without the split path,
// with the first split path (8 parallel COUNT scans first) and now (one COUNT page first).

const DATA = "hello world";

/** The first split path's count, for the before/after comparison: never one COUNT page, always 8 parallel scans. */
function alwaysParallelCount(store: ConnectionStore): ConnectionStore {
  return Object.assign(Object.create(store) as ConnectionStore, { countIfAtMost: async () => undefined });
}

/** Markdown rows: each variant's median time and its ratio to the path without splitting. */
export async function runInline(dynamo: LocalDynamo): Promise<string[]> {
  const api = await FakeConnectionsApi.start({ recordRequests: false });
  const rows: string[] = [];
  try {
    for (const size of [10, 1000]) {
      const { table, ids } = await seededTable(dynamo, size);
      for (const id of ids) api.connect(id);
      const store = new DynamoConnectionStore(createDocumentClient(undefined, { ...LOCAL_AWS, endpoint: dynamo.endpoint }), table);
      const base = {
        connections: new SdkConnectionsApi(createManagementClient(api.endpoint, MANAGEMENT_TUNING, LOCAL_AWS)),
        logger: silent(),
        metrics: silentMetrics(),
        fanoutConcurrency: 50,
        clock: SYSTEM_CLOCK,
      };
      const refuse = { send: async () => Promise.reject(new Error("an inline broadcast queued a job")) };
      const budget = { ...FANOUT_DEFAULTS, workerBudgetSeconds: FANOUT_DEFAULTS.workerTimeoutSeconds - WORKER_SAFETY_SECONDS };
      const variants: Array<[string, ChatDeps]> = [
        ["no split path", { ...base, store }],
        ["split path, 8 parallel COUNT scans first", { ...base, store: alwaysParallelCount(store), fanout: { queue: refuse, budget } }],
        ["split path, one COUNT page first (now)", { ...base, store, fanout: { queue: refuse, budget } }],
      ];
      const times = new Map<string, number[]>(variants.map(([name]) => [name, []]));
      // Interleaved rounds, the first one a warm-up, so that the machine's load drifts over all variants alike.
      for (let round = 0; round < 12; round += 1) {
        for (const [name, deps] of variants) {
          const started = performance.now();
          // A fresh event each time: its requestTimeEpoch starts API Gateway's 29 s.
          const result = await sendMessage(deps, wsEvent("sendmessage", ids[0], JSON.stringify({ action: "sendmessage", data: DATA })));
          if ((result as { statusCode: number }).statusCode !== 200) throw new Error(`${name}: ${JSON.stringify(result)}`);
          if (round > 0) times.get(name)!.push(performance.now() - started);
        }
      }
      const baseline = median(times.get(variants[0][0])!);
      for (const [name] of variants) {
        const m = median(times.get(name)!);
        rows.push(`| ${name} | ${size} | ${m.toFixed(1)} ms | ${(m / baseline).toFixed(2)}x |`);
      }
    }
  } finally {
    await api.close();
  }
  return rows;
}
