import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { contentType } from "mime-types";

/**
 * Serves files of `root` for GET and HEAD, as the S3 origin does behind CloudFront's default
 * behavior: `/` and folders map to `index.html`; nothing outside `root` is reachable.
 */
export async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }).end("Method Not Allowed\n");
    return;
  }
  const base = path.resolve(root);
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? "/", "http://local").pathname);
  } catch {
    res.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end("Bad Request\n");
    return;
  }
  let file = path.resolve(base, `.${path.posix.normalize(pathname)}`);
  if (file !== base && !file.startsWith(base + path.sep)) {
    res.writeHead(403, { "content-type": "text/plain; charset=utf-8" }).end("Forbidden\n");
    return;
  }
  try {
    let info = await stat(file);
    if (info.isDirectory()) {
      file = path.join(file, "index.html");
      info = await stat(file);
    }
    res.writeHead(200, {
      "content-type": contentType(path.extname(file)) || "application/octet-stream",
      "content-length": info.size,
      // A development server: always serve what is on disk now.
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  } catch {
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not Found\n");
  }
}
