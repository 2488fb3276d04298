import { constants } from "node:fs";
import { open } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { basename } from "node:path";
import { contentType } from "mime-types";
import { listSiteFiles, SiteFolderError, type GeneratedSiteFile } from "../../src/front-door/site-files";

/**
 * CloudFront's default root object answers `/` only, never a sub-folder
 * (https://repost.aws/knowledge-center/cloudfront-default-root-object-subdirectory); the stack
 * sets it to index.html (src/front-door/distribution.ts).
 */
const DEFAULT_ROOT_OBJECT = "index.html";

/**
 * What a viewer gets for a key the bucket does not hold: CloudFront reaches S3 through OAC with
 * s3:GetObject only, and without s3:ListBucket S3 answers a missing key with 403 AccessDenied,
 * not 404 (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html); the
 * distribution has no custom error response, so the viewer sees S3's XML.
 */
const ACCESS_DENIED = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`;

function accessDenied(res: ServerResponse): void {
  res.writeHead(403, { "content-type": "application/xml", "content-length": Buffer.byteLength(ACCESS_DENIED) }).end(ACCESS_DENIED);
}

/** The object key a viewer's path asks for, as CloudFront and S3 resolve it; undefined when it cannot be decoded. */
function keyFor(url: string | undefined): string | undefined {
  const pathname = new URL(url ?? "/", "http://local").pathname;
  if (pathname === "/") return DEFAULT_ROOT_OBJECT;
  try {
    return decodeURIComponent(pathname.slice(1));
  } catch {
    return undefined;
  }
}

/**
 * Serves the site folder `root` for GET and HEAD as the bucket behind CloudFront does: exactly the
 * files `listSiteFiles` publishes (the list the stack uploads: no dot names, no symbolic links),
 * listed again on each request so that edits show at once; `/` is the default root object; any
 * other key, a folder's included, is S3's 403 AccessDenied.
 */
export async function serveStatic(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
  generated: ReadonlyMap<string, GeneratedSiteFile> = new Map(),
): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }).end("Method Not Allowed\n");
    return;
  }
  let files: ReadonlyMap<string, string>;
  try {
    files = new Map(listSiteFiles(root).files.map((f) => [f.key, f.path]));
  } catch (error) {
    if (!(error instanceof SiteFolderError)) throw error;
    res.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end(`The site folder cannot be published: ${error.message}\n`);
    return;
  }
  const key = keyFor(req.url);
  const made = key === undefined ? undefined : generated.get(key);
  if (made !== undefined) {
    const headers = {
      "content-type": made.contentType,
      "content-length": Buffer.byteLength(made.body),
      "cache-control": made.cacheControl ?? "no-store",
      "x-content-type-options": "nosniff",
    };
    res.writeHead(200, headers).end(req.method === "HEAD" ? undefined : made.body);
    return;
  }
  const file = key === undefined ? undefined : files.get(key);
  if (file === undefined) {
    accessDenied(res);
    return;
  }
  // O_NOFOLLOW: a file swapped for a link after the listing is refused, not followed.
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  const info = await handle.stat();
  res.writeHead(200, {
    // The same lookup the bucket objects get their Content-Type from (src/front-door/site-bucket.ts).
    "content-type": contentType(basename(file)) || "application/octet-stream",
    "content-length": info.size,
    // A development server: always serve what is on disk now.
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  if (req.method === "HEAD") {
    await handle.close();
    res.end();
    return;
  }
  const stream = handle.createReadStream();
  stream.on("error", () => res.destroy());
  stream.pipe(res);
}
