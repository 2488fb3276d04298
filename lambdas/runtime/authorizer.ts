import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent, Context } from "aws-lambda";
import { createLogger } from "../base/logger";
import { authorize } from "../auth/authorize";
import { readAuthSettings } from "../contract/auth-settings";
import { createJwtVerifier } from "../auth/verifier";

/** The authorizer's Lambda entry point. */
export type AuthorizerHandler = (event: APIGatewayRequestAuthorizerEvent, context?: Context) => Promise<APIGatewayAuthorizerResult>;

/** Wires {@link authorize} to a verifier built ONCE (at cold start), so the key set stays cached while the container is warm. */
export function authorizerHandler(env: NodeJS.ProcessEnv = process.env): AuthorizerHandler {
  const deps = { verify: createJwtVerifier(readAuthSettings(env)), logger: createLogger() };
  return async (event, context) => {
    if (context) deps.logger.addContext(context);
    return authorize(deps, event);
  };
}
