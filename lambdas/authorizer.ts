import { authorizerHandler } from "./runtime/authorizer";

/** `$connect` authorizer entry point (not a route: lambdas/contract/routes.ts does not list it); the verifier is built once, at cold start. */
export const handler = authorizerHandler();
