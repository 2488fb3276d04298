import type { IncomingMessage } from "node:http";
import { CHANNEL_ACTIONS } from "../../lambdas/contract/channels";
import type { RouteKey } from "../../lambdas/contract/routes";
import { ConcurrencyExhausted, localFunctionName, type RouteInvoker } from "./invoker";
import { errorAnswer, type ManagementAnswer } from "./management-api";
import { type SigningScope, verifySigV4 } from "./sigv4-verify";
import { readBody } from "./read-body";

/** The Invoke API's path: `POST /2015-03-31/functions/{FunctionName}/invocations` (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html). */
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/**
 * A synchronous invocation's payload may be 6 MB ("Invocation payload (request and response):
 * 6 MB each for synchronous", https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
 */
export const MAX_INVOKE_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** The functions a backend may invoke here: the publish function, as the stack outputs it (publish_function_name). */
const INVOCABLE: readonly RouteKey[] = [CHANNEL_ACTIONS.publish];

/** What the Invoke API needs besides the request. */
export interface InvokeContext {
  readonly invoker: RouteInvoker;
  /** The local key pair and region; the service is `lambda`. */
  readonly signing: SigningScope;
}

/** The function `{FunctionName}` names: by name (`local-publish`) or ARN (`arn:aws:lambda:<region>:000000000000:function:local-publish`). */
function functionOf(encoded: string, region: string): RouteKey | undefined {
  let name: string;
  try {
    name = decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
  const arn = /^arn:aws:lambda:([^:]+):\d{12}:function:([^:]+)$/.exec(name);
  if (arn !== null) {
    if (arn[1] !== region) return undefined;
    name = arn[2];
  }
  return INVOCABLE.find((routeKey) => localFunctionName(routeKey) === name);
}

/** True when `path` is the Invoke API's. */
export function isInvokePath(path: string): boolean {
  return INVOKE_PATH.test(path);
}

/**
 * Lambda's answer to `POST /2015-03-31/functions/{name}/invocations` (RequestResponse only): a valid
 * SigV4 signature for service `lambda` with the local key, then the function's result as the
 * payload (200, `X-Amz-Executed-Version`), or what it threw (200 with `X-Amz-Function-Error:
 * Unhandled`, as Lambda reports a function error). The Invoke API's errors: 404
 * ResourceNotFoundException, 400 InvalidRequestContentException for a payload that is not JSON, 413
 * RequestTooLargeException, 429 TooManyRequestsException when the concurrency is exhausted.
 */
export async function answerInvokeRequest(req: IncomingMessage, path: string, context: InvokeContext): Promise<ManagementAnswer> {
  const body = await readBody(req, MAX_INVOKE_PAYLOAD_BYTES);
  if (body === undefined) {
    return errorAnswer(413, "RequestTooLargeException", `Request must be smaller than ${MAX_INVOKE_PAYLOAD_BYTES} bytes for the InvokeFunction operation`);
  }
  const rejection = await verifySigV4({ method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, body }, context.signing);
  if (rejection) return errorAnswer(403, rejection.errorType, rejection.message);
  const encodedName = INVOKE_PATH.exec(path)?.[1] ?? "";
  const routeKey = req.method === "POST" ? functionOf(encodedName, context.signing.region) : undefined;
  if (routeKey === undefined) {
    const names = INVOCABLE.map(localFunctionName).join(", ");
    return errorAnswer(404, "ResourceNotFoundException", `Function not found: ${decodeURIComponent(encodedName)} (the local gateway serves ${names})`);
  }
  const invocationType = req.headers["x-amz-invocation-type"] ?? "RequestResponse";
  if (invocationType !== "RequestResponse") {
    return errorAnswer(400, "InvalidParameterValueException", `The local gateway runs RequestResponse invocations only, not ${String(invocationType)}`);
  }
  let payload: unknown;
  try {
    payload = body.length === 0 ? {} : JSON.parse(body.toString("utf8"));
  } catch (error) {
    return errorAnswer(400, "InvalidRequestContentException", `Could not parse request body into json: ${(error as Error).message}`);
  }
  let outcome: Awaited<ReturnType<RouteInvoker["invokeDirect"]>>;
  try {
    outcome = await context.invoker.invokeDirect(routeKey, payload);
  } catch (error) {
    if (error instanceof ConcurrencyExhausted) return errorAnswer(429, "TooManyRequestsException", "Rate Exceeded.");
    throw error;
  }
  const executed = { "x-amz-executed-version": "$LATEST" };
  if ("error" in outcome) {
    const error = outcome.error as Error;
    return {
      status: 200,
      body: { errorType: error?.name ?? "Error", errorMessage: error?.message ?? String(error), trace: String(error?.stack ?? "").split("\n") },
      headers: { ...executed, "x-amz-function-error": "Unhandled" },
    };
  }
  // A function that returns undefined answers `null`, as Lambda does.
  return { status: 200, body: outcome.result ?? null, headers: executed };
}
