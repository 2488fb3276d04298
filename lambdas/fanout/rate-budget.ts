import type { ApiGatewayManagementApiClient, ServiceInputTypes, ServiceOutputTypes } from "@aws-sdk/client-apigatewaymanagementapi";
import type { FinalizeRequestMiddleware } from "@smithy/types";
import { isThrottled } from "../base/connections-api";
import type { AdaptiveRate } from "./rate";

/**
 * Makes every HTTP attempt of `client` wait for `rate`, and cut it on a 429. Placed after the
 * SDK's retry middleware, so the SDK's own retries (standard strategy, jittered backoff) are
 * inside the budget too: the budget counts requests API Gateway sees, not calls.
 */
export function applyRateBudget(client: ApiGatewayManagementApiClient, rate: AdaptiveRate): void {
  const perAttempt: FinalizeRequestMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next) => async (args) => {
    await rate.acquire();
    try {
      return await next(args);
    } catch (error) {
      if (isThrottled(error)) rate.throttled();
      throw error;
    }
  };
  client.middlewareStack.addRelativeTo(perAttempt, { relation: "after", toMiddleware: "retryMiddleware", name: "fanoutRateBudget" });
}
