import { resolve } from "node:path";
import type { z } from "zod";
import { ConfigSchema, EXAMPLE_DOMAIN, type Config } from "./config";
import { pageSettingsFile } from "./page-settings";
import { isInZone, parentDomain } from "../front-door/domain-name";
import { type InputIssue, type InputNames, routingIssues, siteObjectIssues, zoneIssues } from "../front-door/front-door-checks";
import { listSiteFiles, SiteFolderError, type SiteListing } from "../front-door/site-files";

/** A field's problem, ready to print. */
export type ConfigIssue = InputIssue;

/** The zone a user most likely means: the configured one when it holds the domain, else the domain's parent. */
function zoneOf(domainName: string, hostedZoneName: string | undefined): string {
  return hostedZoneName !== undefined && isInZone(domainName, hostedZoneName) ? hostedZoneName : parentDomain(domainName);
}

/** The configuration's fields, as the front door's checks name them in messages. */
const FIELD_NAMES: InputNames = { socketPath: "mappingKey", pathPattern: "pathPattern", site: "siteDir", hostedZoneName: "hostedZoneName" };

/**
 * Checks between fields, on the fields that passed their own checks (absent = not checked), so
 * that they are reported together with per-field problems and one typo gives one problem. The
 * routing rules are the front door's own, so the file and the construct refuse the same things.
 */
function crossFieldIssues(fields: Partial<Config>, site?: SiteListing): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { domainName, hostedZoneName, hostedZoneId, mappingKey } = fields;
  if (domainName !== undefined && hostedZoneName !== undefined) issues.push(...zoneIssues(domainName, hostedZoneName, FIELD_NAMES));
  if (domainName !== undefined && domainName !== EXAMPLE_DOMAIN.domainName && hostedZoneId === EXAMPLE_DOMAIN.hostedZoneId) {
    issues.push({
      path: ["hostedZoneId"],
      input: hostedZoneId,
      message: `is the example zone, but domainName is ${domainName}: set hostedZoneId (WSCF_HOSTED_ZONE_ID) to the id of the Route 53 hosted zone that holds it (${zoneOf(domainName, hostedZoneName)})`,
    });
  }
  if (site !== undefined) issues.push(...siteObjectIssues(site.files, fields.siteDir ?? "the site folder", FIELD_NAMES));
  if (mappingKey === undefined) return issues;
  const settings = pageSettingsFile({ websocketPath: mappingKey });
  const sitePaths = site && {
    files: site.files.map((file) => file.key),
    generated: [{ key: settings.key, purpose: settings.purpose ?? "" }],
    folder: fields.siteDir ?? "the site folder",
  };
  issues.push(...routingIssues(mappingKey, fields.pathPattern ?? `${mappingKey}*`, sitePaths, FIELD_NAMES));
  return issues;
}

/** Where the site folder is read from, for the checks that need its files. */
export interface SiteCheck {
  /** Folder that a relative `siteDir` is resolved against (the project root). */
  readonly root: string;
}

/** The site folder's files, or the problem that stops them from being published. */
function readSite(siteDir: string, check: SiteCheck): { site: SiteListing } | { issue: ConfigIssue } {
  try {
    return { site: listSiteFiles(resolve(check.root, siteDir)) };
  } catch (error) {
    if (!(error instanceof SiteFolderError)) throw error;
    return {
      issue: { path: ["siteDir"], input: siteDir, message: `must be a folder of site files: ${error.message} (set siteDir to the folder holding index.html)` },
    };
  }
}

/**
 * Parses a user's configuration: per-field checks and cross-field checks, all reported together.
 * With `siteCheck`, the site folder is read too: it must publish files, and the socket's path
 * pattern must match none of them; that listing is returned, for the stack to upload.
 */
export function parseConfig(
  input: unknown,
  siteCheck?: SiteCheck,
): { config: Config; site?: SiteListing; issues?: undefined } | { config?: undefined; issues: ConfigIssue[] } {
  const result = ConfigSchema.safeParse(input, { reportInput: true });
  const fields = result.success ? result.data : fieldsThatPassed(input);
  const issues = result.success ? [] : result.error.issues.map(describeIssue);
  let site: SiteListing | undefined;
  if (siteCheck !== undefined && fields.siteDir !== undefined) {
    const read = readSite(fields.siteDir, siteCheck);
    if ("issue" in read) issues.push(read.issue);
    else site = read.site;
  }
  issues.push(...crossFieldIssues(fields, site), ...droppedKeyIssues(input));
  return result.success && issues.length === 0 ? { config: result.data, site } : { issues };
}

/**
 * A tag key "__proto__" parses from JSON as an own key, but zod's records skip it (assigning it
 * would set the prototype), so the tag would vanish in silence: name it instead.
 */
function droppedKeyIssues(input: unknown): ConfigIssue[] {
  const tags = typeof input === "object" && input !== null ? (input as { tags?: unknown }).tags : undefined;
  if (typeof tags !== "object" || tags === null || !Object.hasOwn(tags, "__proto__")) return [];
  return [{ path: ["tags", "__proto__"], message: "key may not be __proto__, which a JavaScript object cannot hold: rename the tag" }];
}

/** Zod stops before whole-object checks once a field fails; cross-field checks run on the fields that passed. */
function fieldsThatPassed(input: unknown): Partial<Config> {
  const raw = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(ConfigSchema.in.shape)) {
    const parsed = schema.safeParse(raw[key]);
    if (parsed.success) fields[key] = parsed.data;
  }
  return fields as Partial<Config>;
}

/** Zod's generic wording, turned into what a user acts on. */
function describeIssue(issue: z.core.$ZodIssue): ConfigIssue {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined
        ? { path: issue.path, message: "is required" }
        : { path: issue.path, input: issue.input, message: `must be a ${issue.expected}` };
    case "unrecognized_keys":
      return {
        path: issue.path,
        message: `has no field ${issue.keys.map((k) => JSON.stringify(k)).join(", ")} (check the spelling against the README's table)`,
      };
    case "invalid_key":
      return { path: issue.path, input: issue.input, message: `key ${issue.issues[0]?.message ?? "is invalid"}` };
    default:
      return issue;
  }
}
