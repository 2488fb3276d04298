import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { ChannelMembers } from "../channels/members";
import { SYSTEM_CLOCK } from "../base/clock";
import { createDocumentClient, createManagementClient, MANAGEMENT_TUNING } from "../base/clients";
import { SdkConnectionsApi } from "../base/connections-api";
import { createLogger } from "../base/logger";
import { createMetrics } from "../base/metrics";
import { DynamoConnectionStore } from "../base/store";
import { readSettings } from "../contract/settings";
import { workerRate } from "../fanout/plan";
import { AdaptiveRate } from "../fanout/rate";
import { createQueueClient, RETURN_TUNING, SqsJobReturns } from "../fanout/queue";
import { applyRateBudget } from "../fanout/rate-budget";
import { readFanoutSettings } from "../contract/fanout-settings";
import { handleJobs, type WorkerDeps } from "../fanout/worker";

/** The worker's real clients from `env`, its @connections client held to this worker's share of the rate budget. */
export function createWorkerDeps(env: NodeJS.ProcessEnv): WorkerDeps {
  const settings = readSettings(env);
  const fanout = readFanoutSettings(env);
  if (fanout.queueUrl === undefined) throw new Error("FANOUT_QUEUE_URL is not set: the worker gives failed jobs back to its queue");
  const client = createManagementClient(settings.managementEndpoint, { ...MANAGEMENT_TUNING, maxSockets: Math.max(50, settings.fanoutConcurrency) });
  applyRateBudget(client, new AdaptiveRate({ maxPerSecond: workerRate(fanout) }));
  const connections = new SdkConnectionsApi(client);
  const documents = createDocumentClient();
  return {
    store: new DynamoConnectionStore(documents, settings.tableName),
    ...(settings.membersTable === undefined ? {} : { members: new ChannelMembers(documents, settings.membersTable, settings.tableName) }),
    connections,
    logger: createLogger(),
    metrics: createMetrics(env),
    fanoutConcurrency: settings.fanoutConcurrency,
    maxReceiveCount: fanout.maxReceiveCount,
    returns: new SqsJobReturns(createQueueClient(RETURN_TUNING), fanout.queueUrl),
    clock: SYSTEM_CLOCK,
  };
}

/** The worker's Lambda entry point: clients built once, at cold start; the deadline from the invocation's remaining time. */
export function workerHandler(env: NodeJS.ProcessEnv = process.env): (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> {
  const deps = createWorkerDeps(env);
  return async (event, context) => {
    deps.logger.addContext(context);
    return handleJobs(deps, event, () => context.getRemainingTimeInMillis());
  };
}
