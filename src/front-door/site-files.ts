import { lstatSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

/** One file the site publishes. */
export interface SiteFile {
  /** Object key = URL path without the leading `/` (`/`-separated, relative to the site folder). */
  readonly key: string;
  /** Absolute path on disk. */
  readonly path: string;
  /** Size in bytes. */
  readonly bytes: number;
}

/** What a site folder publishes, and what it leaves out (and why). */
export interface SiteListing {
  /** Published files, sorted by key so that synth output is stable. */
  readonly files: readonly SiteFile[];
  /** Left out: `<key> (<reason>)`, sorted; a skipped folder is one entry. */
  readonly skipped: readonly string[];
}

/**
 * The Cache-Control of every site object unless the caller says otherwise: "no-cache", so that
 * CloudFront revalidates with S3 (by ETag: a 304 when unchanged) instead of serving the copy it
 * took, and a deploy reaches every reader at once: an old chat.js never runs against new settings.
 * The site behavior's managed CachingOptimized policy honours the origin's Cache-Control between
 * its minimum TTL (1 s) and maximum (1 year) and keeps an object 24 h when there is none
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html);
 * with a minimum TTL above 0 "CloudFront will cache content for at least the duration specified in
 * the cache policy's minimum TTL, even if the Cache-Control: no-cache ... directives are present"
 * (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CachePolicyConfig.html): one second.
 * Content-hashed files, whose names change with their bytes, may say "max-age=31536000, immutable".
 */
export const SITE_CACHE_CONTROL = "no-cache";

/** A file the site publishes that the stack writes at synth instead of reading it from the folder. */
export interface GeneratedSiteFile {
  /** Object key = URL path without the leading `/`. */
  readonly key: string;
  readonly body: string;
  readonly contentType: string;
  /** The object's Cache-Control. @default SITE_CACHE_CONTROL ("no-cache": revalidated on every request) */
  readonly cacheControl?: string;
  /** What it is for, as a message names it when a site file has the same key. @default "a generated file" */
  readonly purpose?: string;
}

/** Why a site folder cannot be published; the message names the folder and the fix. */
export class SiteFolderError extends Error {}

/**
 * The files of the site folder `dir` that the bucket (and the local gateway) publish: regular
 * files only. Names starting with a dot (`.env`, `.git/`) are never published, at any depth, nor
 * are symbolic links (they could point outside the folder) or special files. Throws a
 * SiteFolderError when `dir` is missing, not a folder, unreadable or publishes nothing.
 */
export function listSiteFiles(dir: string): SiteListing {
  const root = resolve(dir);
  const files: SiteFile[] = [];
  const skipped: string[] = [];
  const walk = (folder: string, prefix: string): void => {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === "ENOENT" ? "does not exist" : code === "ENOTDIR" ? "is not a folder" : `cannot be read (${code ?? String(error)})`;
      throw new SiteFolderError(`${folder} ${why}`);
    }
    for (const name of names.sort()) {
      const path = join(folder, name);
      const key = `${prefix}${name}`;
      const info = lstatSync(path);
      if (name.startsWith(".")) skipped.push(`${key}${info.isDirectory() ? "/" : ""} (dot name)`);
      else if (info.isSymbolicLink()) skipped.push(`${key} (symbolic link)`);
      else if (info.isDirectory()) walk(path, `${key}/`);
      else if (info.isFile()) files.push({ key, path, bytes: info.size });
      else skipped.push(`${key} (not a regular file)`);
    }
  };
  walk(root, "");
  if (files.length === 0) throw new SiteFolderError(`${root} has no file to publish`);
  return { files: files.sort((a, b) => (a.key < b.key ? -1 : 1)), skipped: skipped.sort() };
}
