import { Logger } from "@aws-lambda-powertools/logger";
import { createMetrics } from "../../lambdas/base/metrics";
import type { LocalDynamo } from "../fakes/dynalite";
import { connectionIds, seedConnections } from "../fakes/seed";

// What the fan-out benchmarks share: quiet peers and seeded tables.

/** A logger that prints nothing: the benchmarks print their own tables. */
export const silent = () => new Logger({ serviceName: "bench", logLevel: "SILENT" });

/** Metrics that print nothing: the benchmark prints its own tables on stdout. */
export function silentMetrics() {
  // Powertools reads the switch from process.env only (not from the env createMetrics is given).
  process.env.POWERTOOLS_METRICS_DISABLED = "true";
  return createMetrics(process.env);
}

let tables = 0;
/** A new connections table holding `recipients` ids. */
export async function seededTable(dynamo: LocalDynamo, recipients: number): Promise<{ table: string; ids: string[] }> {
  tables += 1;
  const table = `bench-split-${tables}`;
  await dynamo.createConnectionsTable(table);
  const ids = connectionIds(recipients, `t${tables}-`);
  await seedConnections(dynamo.client, table, ids);
  return { table, ids };
}

/** The middle value (the upper one of an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
