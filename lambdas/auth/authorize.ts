import type { Logger } from "@aws-lambda-powertools/logger";
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from "aws-lambda";
import { headerValue, TOKEN_HEADER, tokenFromProtocols } from "../contract/auth-subprotocol";
import { SUBJECT_CONTEXT_KEY } from "../contract/authorizer-context";
import { CHANNELS_CONTEXT_KEY } from "../contract/channels";
import { TokenRejected, type TokenVerifier } from "./verifier";

/** What the authorizer works with, passed in so tests can give it a verifier of their own. */
export interface AuthorizerDeps {
  readonly verify: TokenVerifier;
  readonly logger: Logger;
}

/**
 * API Gateway answers 401 when a Lambda authorizer fails with exactly this message, and 403 when
 * it returns a Deny policy (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-lambda-authorizer-output.html).
 */
export const UNAUTHORIZED = "Unauthorized";

function policy(effect: "Allow" | "Deny", principalId: string, methodArn: string): APIGatewayAuthorizerResult {
  return {
    principalId,
    policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: methodArn }] },
  };
}

/**
 * The `$connect` REQUEST authorizer: takes the token offered beside the chat
 * subprotocol, verifies it and allows the connection with the token's subject in the context.
 * No token: 401. A token that fails verification: Deny (403). Nothing here logs the token.
 */
export async function authorize(deps: AuthorizerDeps, event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const requestId = event.requestContext?.requestId;
  const token = tokenFromProtocols(headerValue(event.headers, TOKEN_HEADER));
  if (token === undefined) {
    deps.logger.warn("connection refused", { requestId, reason: "no token" });
    throw new Error(UNAUTHORIZED);
  }
  try {
    const { subject, channels = [] } = await deps.verify(token);
    deps.logger.info("connection authorized", { requestId, subject, channels: channels.length });
    // Context values must be strings, numbers or booleans: the patterns travel as JSON (lambdas/channels/grant.ts reads them).
    return { ...policy("Allow", subject, event.methodArn), context: { [SUBJECT_CONTEXT_KEY]: subject, [CHANNELS_CONTEXT_KEY]: JSON.stringify(channels) } };
  } catch (error) {
    if (!(error instanceof TokenRejected)) throw error;
    deps.logger.warn("connection refused", { requestId, reason: error.reason });
    return policy("Deny", "anonymous", event.methodArn);
  }
}
