import type { IncomingMessage, ServerResponse } from "node:http";
import { handleManagementRequest, type ManagementContext } from "./management-api";
import type { GeneratedSiteFile } from "../../src/site-files";
import { serveStatic } from "./static-site";

/** Where plain HTTP requests go: the @connections API under the socket's path, else the site. */
export interface HttpRoutes {
  /** `/<mappingKey>`. */
  readonly socketPath: string;
  readonly siteDir: string;
  /** Files the stack generates into the bucket (the page's settings), by key. */
  readonly generated: ReadonlyMap<string, GeneratedSiteFile>;
  readonly management: ManagementContext;
}

/** The connection id in `…/@connections/{id}` (either spelling of `@`), null for a malformed one, undefined when the path is not @connections. */
function managementTarget(socketPath: string, rawPath: string): string | null | undefined {
  const prefix = [`${socketPath}/@connections/`, `${socketPath}/%40connections/`].find((p) => rawPath.startsWith(p));
  if (prefix === undefined) return undefined;
  const encodedId = rawPath.slice(prefix.length);
  if (encodedId === "" || encodedId.includes("/")) return null;
  try {
    return decodeURIComponent(encodedId);
  } catch {
    return null;
  }
}

/** Answers one plain HTTP request as CloudFront's two behaviors would send it on (R1). */
export async function routeRequest(routes: HttpRoutes, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const rawPath = (req.url ?? "/").split("?")[0];
  const connectionId = managementTarget(routes.socketPath, rawPath);
  if (connectionId === null) {
    req.resume();
    res.writeHead(403, { "content-type": "application/json", "x-amzn-errortype": "MissingAuthenticationTokenException" });
    res.end(JSON.stringify({ message: "Missing Authentication Token" }));
    return;
  }
  if (connectionId !== undefined) {
    await handleManagementRequest(req, res, connectionId, routes.management);
    return;
  }
  if (rawPath === routes.socketPath || rawPath.startsWith(`${routes.socketPath}/`)) {
    // A plain HTTP request on the socket's path: API Gateway wants an upgrade there.
    req.resume();
    res.writeHead(426, { "content-type": "application/json", upgrade: "websocket" });
    res.end(JSON.stringify({ message: "Upgrade Required" }));
    return;
  }
  await serveStatic(routes.siteDir, req, res, routes.generated);
}
