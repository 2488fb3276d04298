import { EnvNumbers } from "./env-numbers";

/**
 * The environment variables through which the stack configures the handlers (R10).
 * Shared by the stack (writer) and the handlers (reader), so the names cannot drift apart.
 */
export const SETTINGS_ENV = {
  /** DynamoDB table of open connection ids. */
  tableName: "CONNECTIONS_TABLE",
  /** @connections endpoint: `https://<custom domain>/<mapping key>`, never domainName + stage. */
  managementEndpoint: "MANAGEMENT_ENDPOINT",
  /** Posts one broadcast keeps in flight. */
  fanoutConcurrency: "FANOUT_CONCURRENCY",
  /** DynamoDB table of channel members (lambdas/contract/table-schema.ts); unset: the function has no channel work. */
  membersTable: "MEMBERS_TABLE",
  /** `claims`: a connection may use only the channels its token's claim allows (auth "jwt"); unset: every channel is open. */
  channelAccess: "CHANNEL_ACCESS",
} as const;

/**
 * Posts one broadcast keeps in flight when FANOUT_CONCURRENCY is unset (the stack's default too):
 * the @connections client's 50 sockets per host, all busy; more would only queue in the agent.
 */
export const DEFAULT_FANOUT_CONCURRENCY = 50;
/** Upper bound, as in the stack's config schema: more would only queue behind the HTTP agent's sockets. */
export const MAX_FANOUT_CONCURRENCY = 256;

/** The handlers' settings, parsed and validated once per cold start. */
export interface ChatSettings {
  /** Name of the connections table. */
  readonly tableName: string;
  /** Base URL of the @connections API, without a trailing slash (`https://<domain>/<mapping key>`). */
  readonly managementEndpoint: string;
  /** Posts one broadcast keeps in flight. @default 50 */
  readonly fanoutConcurrency: number;
  /** Name of the channel members table. @default - none: no channel work */
  readonly membersTable?: string;
  /** Whether channels are limited by the token's claim. @default "open" */
  readonly channelAccess?: "open" | "claims";
}

/**
 * Reads and validates the settings from `env`. Throws one Error naming every bad variable, what
 * it held and what is allowed, so a misconfigured function fails at cold start, not mid-broadcast.
 */
export function readSettings(env: NodeJS.ProcessEnv): ChatSettings {
  const problems: string[] = [];

  const tableName = env[SETTINGS_ENV.tableName]?.trim() ?? "";
  if (tableName === "") problems.push(`${SETTINGS_ENV.tableName} is empty or unset: set it to the connections table's name`);

  const rawEndpoint = env[SETTINGS_ENV.managementEndpoint]?.trim() ?? "";
  let managementEndpoint = "";
  try {
    const url = new URL(rawEndpoint);
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("not http(s)");
    if (url.search !== "" || url.hash !== "") throw new Error("has a query or fragment");
    managementEndpoint = rawEndpoint.replace(/\/+$/, "");
  } catch {
    problems.push(`${SETTINGS_ENV.managementEndpoint} is ${JSON.stringify(rawEndpoint)}: expected an http(s) URL such as https://<domain>/<mapping key>`);
  }

  const numbers = new EnvNumbers(env);
  const fanoutConcurrency = numbers.integer(SETTINGS_ENV.fanoutConcurrency, DEFAULT_FANOUT_CONCURRENCY, 1, MAX_FANOUT_CONCURRENCY);
  problems.push(...numbers.problems);

  const membersTable = env[SETTINGS_ENV.membersTable]?.trim() || undefined;
  const access = env[SETTINGS_ENV.channelAccess]?.trim() || undefined;
  if (access !== undefined && access !== "open" && access !== "claims")
    problems.push(`${SETTINGS_ENV.channelAccess} is ${JSON.stringify(access)}: expected "open" or "claims"`);

  if (problems.length > 0) throw new Error(`Invalid chat handler settings:\n- ${problems.join("\n- ")}`);
  return {
    tableName,
    managementEndpoint,
    fanoutConcurrency,
    ...(membersTable ? { membersTable } : {}),
    ...(access ? { channelAccess: access as "open" | "claims" } : {}),
  };
}

/** The environment that sets `settings` for every chat handler: what readSettings reads. */
export function settingsEnvironment(settings: ChatSettings): Record<string, string> {
  return {
    [SETTINGS_ENV.tableName]: settings.tableName,
    [SETTINGS_ENV.managementEndpoint]: settings.managementEndpoint,
    [SETTINGS_ENV.fanoutConcurrency]: String(settings.fanoutConcurrency),
    ...(settings.membersTable === undefined ? {} : { [SETTINGS_ENV.membersTable]: settings.membersTable }),
    ...(settings.channelAccess === undefined ? {} : { [SETTINGS_ENV.channelAccess]: settings.channelAccess }),
  };
}
