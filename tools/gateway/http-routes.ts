import type { IncomingMessage, ServerResponse } from "node:http";
import { answerInvokeRequest, type InvokeContext, isInvokePath } from "./lambda-invoke-api";
import { handleManagementRequest, MISSING_ROUTE, type ManagementContext, writeManagementAnswer } from "./management-api";
import { managementTarget } from "./management-path";
import type { GeneratedSiteFile } from "../../src/front-door/site-files";
import { serveStatic } from "./static-site";

/** Where plain HTTP requests go: the @connections API under the socket's path, else the site. */
export interface HttpRoutes {
  /** `/<mappingKey>`. */
  readonly socketPath: string;
  readonly siteDir: string;
  /** Files the stack generates into the bucket (the page's settings), by key. */
  readonly generated: ReadonlyMap<string, GeneratedSiteFile>;
  readonly management: ManagementContext;
  /** The Lambda Invoke API, for a backend's server-side publish. */
  readonly invoke: InvokeContext;
}

/**
 * Answers one plain HTTP request as CloudFront's two behaviors would send it on (R1); besides, the
 * Lambda Invoke API's path (`/2015-03-31/functions/…`), which on AWS is Lambda's own endpoint.
 */
export async function routeRequest(routes: HttpRoutes, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const rawPath = (req.url ?? "/").split("?")[0];
  if (isInvokePath(rawPath)) {
    writeManagementAnswer(res, await answerInvokeRequest(req, rawPath, routes.invoke));
    req.resume();
    return;
  }
  const connectionId = managementTarget(routes.socketPath, rawPath);
  if (connectionId === null) {
    req.resume();
    writeManagementAnswer(res, MISSING_ROUTE);
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
