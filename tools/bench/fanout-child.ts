import { SYSTEM_CLOCK } from "../../lambdas/base/clock";
/**
 * One broadcast in a fresh process, so that its peak RSS is its own. argv: variant, DynamoDB
 * endpoint, @connections endpoint, table, sender id. Prints one JSON line.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createDocumentClient, createManagementClient, MANAGEMENT_TUNING } from "../../lambdas/base/clients";
import { SdkConnectionsApi } from "../../lambdas/base/connections-api";
import { sendMessage } from "../../lambdas/routes/sendmessage";
import { DynamoConnectionStore } from "../../lambdas/base/store";
import { DEFAULT_FANOUT_CONCURRENCY } from "../../lambdas/contract/settings";
import { wsEvent } from "../../__tests__/support/chat-harness";
import { LOCAL_AWS } from "../fakes/local-aws";
import { silent, silentMetrics } from "./peers";
import { sampleHandler } from "./sample-sendmessage";

async function main(): Promise<void> {
  const [variant, dynamoEndpoint, managementEndpoint, tableName, sender] = process.argv.slice(2);
  const event = wsEvent("sendmessage", sender, JSON.stringify({ action: "sendmessage", data: "hello world" }));
  let run: () => Promise<unknown>;
  if (variant === "ours") {
    // The parent reads this process's one stdout line: no EMF lines beside it (silentMetrics).
    const deps = {
      store: new DynamoConnectionStore(createDocumentClient(undefined, { ...LOCAL_AWS, endpoint: dynamoEndpoint }), tableName),
      connections: new SdkConnectionsApi(createManagementClient(managementEndpoint, { ...MANAGEMENT_TUNING, maxSockets: 50 }, LOCAL_AWS)),
      logger: silent(),
      metrics: silentMetrics(),
      fanoutConcurrency: Number(process.env.FANOUT_CONCURRENCY ?? DEFAULT_FANOUT_CONCURRENCY),
      clock: SYSTEM_CLOCK,
    };
    run = () => sendMessage(deps, event);
  } else {
    // The sample's clients: SDK defaults, one DynamoDB client per container.
    const handler = sampleHandler(new DynamoDBClient({ ...LOCAL_AWS, endpoint: dynamoEndpoint }), managementEndpoint, tableName);
    run = () => handler(event);
  }
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const result = (await run()) as { statusCode?: number };
  const wallMs = performance.now() - started;
  const peakRssKiB = process.resourceUsage().maxRSS;
  process.stdout.write(`${JSON.stringify({ statusCode: result.statusCode, wallMs, peakRssKiB, rssBeforeKiB: Math.round(rssBefore / 1024) })}\n`);
}

void main().then(() => process.exit(0));
