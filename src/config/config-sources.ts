import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Config } from "./config";
import { parseConfig } from "./parse-config";
import { PROJECT_ROOT } from "../functions/project-root";
import type { SiteListing } from "../front-door/site-files";
import { unknownVariableProblems } from "./unknown-variables";

/** Environment variables that override single fields; they win over the config file. */
export const ENV_OVERRIDES: ReadonlyArray<{ env: string; path: readonly string[]; kind: "string" | "number" | "boolean" | "json" }> = [
  { env: "WSCF_DOMAIN_NAME", path: ["domainName"], kind: "string" },
  { env: "WSCF_HOSTED_ZONE_ID", path: ["hostedZoneId"], kind: "string" },
  { env: "WSCF_HOSTED_ZONE_NAME", path: ["hostedZoneName"], kind: "string" },
  { env: "WSCF_REGION", path: ["region"], kind: "string" },
  { env: "WSCF_STAGE_NAME", path: ["stageName"], kind: "string" },
  { env: "WSCF_MAPPING_KEY", path: ["mappingKey"], kind: "string" },
  { env: "WSCF_PATH_PATTERN", path: ["pathPattern"], kind: "string" },
  { env: "WSCF_ALLOW_PLAIN_WS", path: ["allowPlainWs"], kind: "boolean" },
  { env: "WSCF_API_ORIGIN", path: ["apiOrigin"], kind: "string" },
  { env: "WSCF_API_GATEWAY_LOGS_ROLE", path: ["apiGatewayLogsRole"], kind: "string" },
  { env: "WSCF_NAME_PREFIX", path: ["namePrefix"], kind: "string" },
  { env: "WSCF_LOG_RETENTION_DAYS", path: ["logRetentionDays"], kind: "number" },
  { env: "WSCF_THROTTLING_BURST_LIMIT", path: ["throttling", "burstLimit"], kind: "number" },
  { env: "WSCF_THROTTLING_RATE_LIMIT", path: ["throttling", "rateLimit"], kind: "number" },
  { env: "WSCF_FANOUT_CONCURRENCY", path: ["fanoutConcurrency"], kind: "number" },
  { env: "WSCF_FANOUT_INLINE_LIMIT", path: ["fanout", "inlineLimit"], kind: "number" },
  { env: "WSCF_FANOUT_RATE_PER_SECOND", path: ["fanout", "ratePerSecond"], kind: "number" },
  { env: "WSCF_FANOUT_WORKERS", path: ["fanout", "workers"], kind: "number" },
  { env: "WSCF_FANOUT_WORKER_TIMEOUT_SECONDS", path: ["fanout", "workerTimeoutSeconds"], kind: "number" },
  { env: "WSCF_FANOUT_MAX_RECEIVE_COUNT", path: ["fanout", "maxReceiveCount"], kind: "number" },
  { env: "WSCF_AUTH", path: ["auth", "type"], kind: "string" },
  { env: "WSCF_AUTH_ISSUER", path: ["auth", "issuer"], kind: "string" },
  { env: "WSCF_AUTH_AUDIENCE", path: ["auth", "audience"], kind: "string" },
  { env: "WSCF_AUTH_JWKS_URI", path: ["auth", "jwksUri"], kind: "string" },
  { env: "WSCF_AUTH_CHANNELS_CLAIM", path: ["auth", "channelsClaim"], kind: "string" },
  { env: "WSCF_MESSAGE_RATE_PER_SECOND", path: ["messageRate", "perSecond"], kind: "number" },
  { env: "WSCF_MESSAGE_RATE_BURST", path: ["messageRate", "burst"], kind: "number" },
  { env: "WSCF_MESSAGE_RATE_MAX_REFUSALS", path: ["messageRate", "maxRefusals"], kind: "number" },
  { env: "WSCF_WAF_ENABLED", path: ["waf", "enabled"], kind: "boolean" },
  { env: "WSCF_WAF_RATE_LIMIT", path: ["waf", "rateLimit"], kind: "number" },
  { env: "WSCF_SITE_DIR", path: ["siteDir"], kind: "string" },
  { env: "WSCF_ALARM_EMAIL", path: ["alarmEmail"], kind: "string" },
  { env: "WSCF_TAGS", path: ["tags"], kind: "json" },
  { env: "WSCF_BACKEND", path: ["backend", "type"], kind: "string" },
  { env: "WSCF_BACKEND_PATH", path: ["backend", "path"], kind: "string" },
  { env: "WSCF_BACKEND_BUCKET", path: ["backend", "bucket"], kind: "string" },
  { env: "WSCF_BACKEND_KEY", path: ["backend", "key"], kind: "string" },
  { env: "WSCF_BACKEND_REGION", path: ["backend", "region"], kind: "string" },
  { env: "WSCF_BACKEND_KMS_KEY_ID", path: ["backend", "kmsKeyId"], kind: "string" },
  { env: "WSCF_BACKEND_ORGANIZATION", path: ["backend", "organization"], kind: "string" },
  { env: "WSCF_BACKEND_WORKSPACE", path: ["backend", "workspace"], kind: "string" },
  { env: "WSCF_BACKEND_HOSTNAME", path: ["backend", "hostname"], kind: "string" },
];

/**
 * The other WSCF_* variables the project reads: the config file's name, and the provider mirror of
 * tools/scripts/terraform-cli-config.mjs. Any other WSCF_* name is a problem (a mistyped setting).
 */
const OTHER_VARIABLES = ["WSCF_CONFIG_FILE", "WSCF_PROVIDER_MIRROR"];

/** The config file read when WSCF_CONFIG_FILE is not set, if it exists. */
export const DEFAULT_CONFIG_FILE = "wscf.config.json";

/** Thrown when the configuration is invalid; `problems` holds one line per problem. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid configuration: ${problems.length} problem${problems.length === 1 ? "" : "s"}. Nothing was synthesized.\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

type Json = Record<string, unknown>;

function setPath(target: Json, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
    node = node[key] as Json;
  }
  node[path[path.length - 1]] = value;
}

/** Env values are strings: turn them into what the schema expects, or report why not. */
function parseEnvValue(raw: string, kind: (typeof ENV_OVERRIDES)[number]["kind"]): { value: unknown } | { problem: string } {
  switch (kind) {
    case "string":
      return { value: raw };
    case "number":
      return raw.trim() !== "" && Number.isFinite(Number(raw)) ? { value: Number(raw) } : { problem: `must be a number; got ${JSON.stringify(raw)}` };
    case "boolean":
      return raw === "true" || raw === "false" ? { value: raw === "true" } : { problem: `must be true or false; got ${JSON.stringify(raw)}` };
    case "json":
      try {
        return { value: JSON.parse(raw) };
      } catch {
        return { problem: `must be a JSON object such as {"team":"chat"}; got ${JSON.stringify(raw)}` };
      }
  }
}

/** What the app is built from: the validated configuration and the site folder's files it was checked against. */
export interface Deployment {
  readonly config: Config;
  readonly site: SiteListing;
}

/** {@link loadDeployment}'s configuration alone. */
export function loadConfig(env: NodeJS.ProcessEnv, configDir = PROJECT_ROOT): Config {
  return loadDeployment(env, configDir).config;
}

/**
 * Reads the configuration: schema defaults, then the JSON file (WSCF_CONFIG_FILE, or
 * wscf.config.json in `configDir` when present), then WSCF_* environment variables; lists and
 * checks the site folder (relative to the project root) too. Throws a ConfigError that lists
 * every problem at once, a WSCF_* variable that is not a setting among them.
 */
export function loadDeployment(env: NodeJS.ProcessEnv, configDir = PROJECT_ROOT): Deployment {
  const problems: string[] = [];
  const sources = new Map<string, string>();
  let input: Json = {};

  const file = env.WSCF_CONFIG_FILE ?? (existsSync(resolve(configDir, DEFAULT_CONFIG_FILE)) ? DEFAULT_CONFIG_FILE : undefined);
  if (file !== undefined) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(resolve(configDir, file), "utf8"));
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("the file must hold one JSON object");
      input = parsed as Json;
    } catch (error) {
      problems.push(`config file ${file}: ${(error as Error).message}`);
    }
  }

  for (const { env: name, path, kind } of ENV_OVERRIDES) {
    const raw = env[name];
    if (raw === undefined) continue;
    const parsed = parseEnvValue(raw, kind);
    sources.set(path.join("."), name);
    if ("problem" in parsed) problems.push(`${path.join(".")} (from ${name}) ${parsed.problem}`);
    else setPath(input, path, parsed.value);
  }
  problems.push(...unknownVariableProblems(env, [...ENV_OVERRIDES.map((o) => o.env), ...OTHER_VARIABLES]));

  const result = parseConfig(input, { root: PROJECT_ROOT });
  if (result.config !== undefined && result.site !== undefined && problems.length === 0) return { config: result.config, site: result.site };
  for (const issue of result.issues ?? []) {
    const field = issue.path.map(String).join(".") || "configuration";
    // The variable that set this field, or the one that set a parent of it (WSCF_TAGS for tags.team).
    const source = issue.path
      .map((_, i) =>
        sources.get(
          issue.path
            .slice(0, issue.path.length - i)
            .map(String)
            .join("."),
        ),
      )
      .find(Boolean);
    const got = issue.input !== undefined && !issue.message.includes("got ") ? `; got ${JSON.stringify(issue.input)}` : "";
    problems.push(`${field}${source ? ` (from ${source})` : ""} ${issue.message}${got}`);
  }
  throw new ConfigError(problems);
}
