import { CHANNEL_ACTIONS } from "../../lambdas/contract/channels";
import { LOCAL_REGION } from "../fakes/local-aws";
import { localFunctionName } from "../gateway/invoker";
import { OUTPUTS_FILE, type StackOutputs } from "../smoke/outputs-file";
import { isLoopback, SettingsError, type Sourced } from "../smoke/settings";

/** What the user gave on the command line about where to publish. */
export interface PublishFlags {
  readonly url?: string;
  readonly functionName?: string;
  readonly region?: string;
}

/** Where a publish goes: the publish function (name or ARN) in a region, and for `npm run dev` its loopback endpoint. */
export interface PublishTarget {
  readonly functionName: Sourced<string>;
  readonly region: Sourced<string>;
  /** The local gateway's URL (its Lambda Invoke API, signed with its key); undefined: AWS, the default credential chain. */
  readonly endpoint?: string;
}

/**
 * Resolves the target. `--url` (a loopback URL: `npm run dev`) invokes the local gateway's
 * `local-publish`; otherwise AWS: the function from --function or the stack's `publish_function_name`
 * output, the region from --region, the outputs' `region`, or AWS_REGION. Throws SettingsError saying what to pass.
 */
export function resolveTarget(flags: PublishFlags, outputs: StackOutputs | undefined, env: NodeJS.ProcessEnv): PublishTarget {
  if (flags.url !== undefined) {
    let local: boolean;
    try {
      local = isLoopback(flags.url);
    } catch {
      throw new SettingsError(`--url must be the local gateway's URL, e.g. http://127.0.0.1:8080, got "${flags.url}"`);
    }
    // On AWS the Invoke API is Lambda's own endpoint, not the site's: a deployment needs no --url.
    if (!local)
      throw new SettingsError(
        `--url is for npm run dev (a loopback URL); for a deployment leave it out: the function and region come from ${OUTPUTS_FILE}, or --function and --region`,
      );
    return {
      functionName:
        flags.functionName === undefined
          ? { value: localFunctionName(CHANNEL_ACTIONS.publish), source: "the local gateway's" }
          : { value: flags.functionName, source: "--function" },
      region: flags.region === undefined ? { value: LOCAL_REGION, source: "the local gateway's region" } : { value: flags.region, source: "--region" },
      endpoint: flags.url,
    };
  }
  let functionName: Sourced<string>;
  if (flags.functionName !== undefined) functionName = { value: flags.functionName, source: "--function" };
  else if (outputs?.publish_function_name !== undefined)
    functionName = { value: outputs.publish_function_name, source: `${OUTPUTS_FILE} publish_function_name` };
  else {
    const why =
      outputs === undefined ? `there is no ${OUTPUTS_FILE} (npm run deploy writes it)` : `${OUTPUTS_FILE} has no publish_function_name (deploy again)`;
    throw new SettingsError(`the publish function is unknown: ${why}; pass --function NAME, or --url http://127.0.0.1:PORT for npm run dev`);
  }
  let region: Sourced<string>;
  if (flags.region !== undefined) region = { value: flags.region, source: "--region" };
  else if (outputs?.region !== undefined) region = { value: outputs.region, source: `${OUTPUTS_FILE} region` };
  else if (env.AWS_REGION) region = { value: env.AWS_REGION, source: "AWS_REGION" };
  else throw new SettingsError(`the function's region is unknown: pass --region REGION (or set AWS_REGION)`);
  return { functionName, region };
}
