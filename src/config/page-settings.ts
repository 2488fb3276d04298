import type { GeneratedSiteFile } from "../front-door/site-files";

/**
 * The chat page's settings: a JSON file that the stack writes into the bucket and the local
 * gateway serves, so the page learns the socket's path from the deployment it is served by
 * instead of repeating the mapping key in its HTML. site/chat.js reads it at start.
 */
export const PAGE_SETTINGS_KEY = "settings.json";

/**
 * Revalidate on every load: CloudFront's CachingOptimized policy honours the origin's
 * Cache-Control between its minimum TTL (1 s) and maximum (1 year), so a changed mapping key
 * reaches pages within a second, not after a day's default TTL
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html).
 */
const PAGE_SETTINGS_CACHE_CONTROL = "no-cache";

/** What the page needs to know about the deployment. */
export interface PageSettings {
  /** The socket's path segment: the API mapping key (R3), e.g. "websocket". */
  readonly websocketPath: string;
}

/** The settings file, byte-identical for the bucket and the local gateway. */
export function pageSettingsFile(settings: PageSettings): GeneratedSiteFile {
  return {
    key: PAGE_SETTINGS_KEY,
    body: `${JSON.stringify({ websocketPath: settings.websocketPath })}\n`,
    contentType: "application/json",
    cacheControl: PAGE_SETTINGS_CACHE_CONTROL,
    purpose: "the page's settings",
  };
}
