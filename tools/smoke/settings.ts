import { CONFIG_DEFAULTS } from "../../src/config/config-defaults";
import { LOCAL_REGION } from "../fakes/local-aws";
import { OUTPUTS_FILE, type StackOutputs } from "./outputs-file";

/** A value and where it came from, so the header can say it. */
export interface Sourced<T> {
  readonly value: T;
  readonly source: string;
}

/** What the user gave on the command line. */
export interface SmokeFlags {
  readonly url?: string;
  readonly mappingKey?: string;
  readonly region?: string;
  readonly apiDefaultEndpoint?: string;
}

/** Every setting of a run, each with its source. */
export interface SmokeSettings {
  readonly url: Sourced<string>;
  readonly mappingKey: Sourced<string>;
  readonly region: Sourced<string>;
  /** Undefined value: unknown, and the bypass check will be skipped. */
  readonly apiDefaultEndpoint: Sourced<string | undefined>;
  /** Why the outputs file was not used, when it exists but describes another deployment. */
  readonly outputsIgnored?: string;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** True for `npm run dev`'s loopback URLs, which sign with the local gateway's key (LOCAL_CREDENTIALS). */
export function isLoopback(url: string): boolean {
  return LOOPBACK.has(new URL(url).hostname);
}

/** A setting that cannot be resolved: the message says what to pass. */
export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SettingsError";
  }
}

function parseUrl(text: string, what: string, example: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new SettingsError(`${what} must be a URL such as ${example}, got "${text}"`);
  }
}

/** The outputs that describe the deployment at `url` (the same host), or why they do not. */
function matchingOutputs(url: string | undefined, outputs: StackOutputs | undefined): { outputs?: StackOutputs; ignored?: string } {
  if (outputs === undefined || url === undefined) return { outputs };
  if (new URL(url).host === new URL(outputs.site_url).host) return { outputs };
  return { ignored: `${OUTPUTS_FILE} describes ${outputs.site_url}, not --url; its values are not used` };
}

/**
 * Resolves the run's settings. Sources, first wins: the flags; the outputs of `npm run deploy`
 * (only when they describe the same host as --url); then, for the region, AWS_REGION, or the
 * local gateway's region for a loopback URL. The mapping key falls back to the stack's default; a missing
 * URL or region is an error that says what to pass.
 */
export function resolveSettings(flags: SmokeFlags, fileOutputs: StackOutputs | undefined, env: NodeJS.ProcessEnv): SmokeSettings {
  if (flags.url !== undefined) parseUrl(flags.url, "--url", "https://chat.example.com");
  const { outputs, ignored } = matchingOutputs(flags.url, fileOutputs);
  const fromFile = (field: string) => `${OUTPUTS_FILE} ${field}`;

  let url: Sourced<string>;
  if (flags.url !== undefined) url = { value: flags.url, source: "--url" };
  else if (outputs !== undefined) url = { value: outputs.site_url, source: fromFile("site_url") };
  else throw new SettingsError(`--url is required: there is no ${OUTPUTS_FILE} (npm run deploy writes it)`);

  let mappingKey: Sourced<string>;
  if (flags.mappingKey !== undefined) mappingKey = { value: flags.mappingKey, source: "--mapping-key" };
  else if (outputs !== undefined) mappingKey = { value: new URL(outputs.websocket_url).pathname.slice(1), source: fromFile("websocket_url") };
  else mappingKey = { value: CONFIG_DEFAULTS.mappingKey, source: "default" };

  let region: Sourced<string>;
  if (flags.region !== undefined) region = { value: flags.region, source: "--region" };
  else if (outputs?.region !== undefined) region = { value: outputs.region, source: fromFile("region") };
  else if (isLoopback(url.value)) region = { value: LOCAL_REGION, source: "the local gateway's region" };
  else if (env.AWS_REGION) region = { value: env.AWS_REGION, source: "AWS_REGION" };
  else {
    throw new SettingsError(`the API's region is unknown: pass --region <region> (or set AWS_REGION); npm run deploy saves it as "region" in ${OUTPUTS_FILE}`);
  }

  let apiDefaultEndpoint: Sourced<string | undefined>;
  if (flags.apiDefaultEndpoint !== undefined) {
    parseUrl(flags.apiDefaultEndpoint, "--api-default-endpoint", "wss://abc123.execute-api.ap-northeast-1.amazonaws.com/Prod");
    apiDefaultEndpoint = { value: flags.apiDefaultEndpoint, source: "--api-default-endpoint" };
  } else if (outputs?.api_default_endpoint !== undefined) {
    apiDefaultEndpoint = { value: outputs.api_default_endpoint, source: fromFile("api_default_endpoint") };
  } else if (outputs !== undefined) {
    apiDefaultEndpoint = { value: undefined, source: `${OUTPUTS_FILE} has no api_default_endpoint (the stack leaves the default endpoint enabled)` };
  } else {
    apiDefaultEndpoint = { value: undefined, source: "not given" };
  }

  return { url, mappingKey, region, apiDefaultEndpoint, ...(ignored !== undefined ? { outputsIgnored: ignored } : {}) };
}
