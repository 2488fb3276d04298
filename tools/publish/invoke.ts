import { InvokeCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import type { ServerPublishOutcome, ServerPublishRequest } from "../../lambdas/routes/server-publish";
import type { PublishTarget } from "./settings";

/** The function ran and failed (threw, timed out): Lambda's `FunctionError` and the error it reported. */
export class FunctionFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FunctionFailed";
  }
}

/**
 * Invokes the publish function with `request` (RequestResponse: the answer is the outcome) and
 * returns its outcome. Throws the SDK's error when Lambda refuses the call, FunctionFailed when
 * the function itself failed.
 */
export async function invokePublish(client: LambdaClient, functionName: string, request: ServerPublishRequest): Promise<ServerPublishOutcome> {
  const answer = await client.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(request), "utf8") }));
  const text = Buffer.from(answer.Payload ?? new Uint8Array()).toString("utf8");
  if (answer.FunctionError !== undefined) {
    let detail = text;
    try {
      const { errorType, errorMessage } = JSON.parse(text) as { errorType?: string; errorMessage?: string };
      detail = `${errorType ?? "Error"}: ${errorMessage ?? text}`;
    } catch {
      // not JSON: the text as it came
    }
    throw new FunctionFailed(`the publish function failed (${answer.FunctionError}): ${detail}`);
  }
  return JSON.parse(text) as ServerPublishOutcome;
}

/** True when the outcome reached (or, split, was queued for) every member. */
export function succeeded(outcome: ServerPublishOutcome): boolean {
  if (outcome.type === "published") return outcome.complete && outcome.failed === 0;
  if (outcome.type === "broadcast-accepted") return outcome.queued === outcome.segments;
  return false;
}

/** One line saying what happened. */
export function describeOutcome(outcome: ServerPublishOutcome): string {
  switch (outcome.type) {
    case "published": {
      const cut = outcome.complete ? "" : "; the time limit stopped it, members not reached by then did not get it";
      return `published to ${outcome.channel}: delivered ${outcome.delivered}, pruned ${outcome.pruned} (gone), failed ${outcome.failed}${cut}`;
    }
    case "broadcast-accepted":
      return `accepted for ${outcome.channel}: ${outcome.recipients} members in ${outcome.segments} parts, ${outcome.queued} queued for the fan-out workers (their results go to the logs, not back here)`;
    case "error":
      return `refused: ${outcome.code}: ${outcome.message}`;
  }
}

/** What to tell the user for an error of the call itself, by the SDK error's name. */
export function explainInvokeError(error: unknown, target: PublishTarget): string {
  const { name = "Error", message = String(error) } = (error ?? {}) as { name?: string; message?: string };
  const fn = `"${target.functionName.value}" (${target.functionName.source}) in ${target.region.value} (${target.region.source})`;
  if (error instanceof FunctionFailed) return message;
  if (name === "ResourceNotFoundException") {
    return `function ${fn} not found: deploy the stack (npm run deploy), or pass --function and --region${target.endpoint ? "; the local gateway serves local-publish" : ""}`;
  }
  if (name === "CredentialsProviderError") {
    return `no AWS credentials: the SDK's default chain found none (set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run aws sso login). ${message}`;
  }
  if (name === "AccessDeniedException" || name === "UnrecognizedClientException" || name === "InvalidSignatureException") {
    return `not allowed to invoke ${fn} (${name}): the caller needs lambda:InvokeFunction on the stack's publish_function_arn. ${message}`;
  }
  if (name === "TooManyRequestsException") return `Lambda throttled the invocation (${message}); nothing was published: try again`;
  const code = (error as { code?: string }).code;
  if (target.endpoint && (code === "ECONNREFUSED" || /ECONNREFUSED/.test(message))) return `nothing answers at ${target.endpoint}: is npm run dev running?`;
  // Not retried (the client makes one attempt): a timeout or a 5xx may have published already.
  return `the invocation of ${fn} failed (${name}): ${message}; it may or may not have published, so check before sending again`;
}
