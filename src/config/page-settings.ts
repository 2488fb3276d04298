import { type GeneratedSiteFile, SITE_CACHE_CONTROL } from "../front-door/site-files";

/**
 * The chat page's settings: a JSON file that the stack writes into the bucket and the local
 * gateway serves, so the page learns the socket's path from the deployment it is served by
 * instead of repeating the mapping key in its HTML. site/chat.js reads it at start.
 */
export const PAGE_SETTINGS_KEY = "settings.json";

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
    // Revalidated on every load like every site object (SITE_CACHE_CONTROL): a changed mapping key reaches pages at once.
    cacheControl: SITE_CACHE_CONTROL,
    purpose: "the page's settings",
  };
}
