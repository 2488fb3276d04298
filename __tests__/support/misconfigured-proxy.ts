import { once } from "node:events";
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { connect, type AddressInfo } from "node:net";
import type { Duplex } from "node:stream";

/** A CloudFront or API Gateway misconfiguration from DESIGN.md, played by a proxy in front of the local gateway. */
export type Fault =
  /** R4: the behavior does not forward Authorization. */
  | "strip-authorization"
  /** R6: viewer protocol policy redirect-to-https. */
  | "redirect-to-https"
  /** R1: the behavior's path pattern misses the socket path, so the handshake meets the site origin: 404. */
  | "socket-not-routed"
  /** The API is in another region than the one the client signed for: API Gateway's 403 for it. */
  | "api-in-other-region"
  /** The path pattern captures the page's settings.json: the API's custom domain answers it 403. */
  | "settings-captured";

export interface Proxy {
  readonly url: string;
  close(): Promise<void>;
}

function headerLines(headers: IncomingHttpHeaders): string {
  return Object.entries(headers)
    .flatMap(([name, value]) => (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((v) => `${name}: ${v}\r\n`))
    .join("");
}

/** The region in a SigV4 `Authorization` header's credential scope (`Credential=AKID/date/<region>/service/aws4_request`). */
function signedRegion(authorization: string | undefined): string | undefined {
  return /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(authorization ?? "")?.[1];
}

/** Answers in place of the origin when the fault decides the request's fate; false when it goes through. */
function answerHttp(fault: Fault, req: IncomingMessage, res: ServerResponse): boolean {
  const region = signedRegion(req.headers.authorization);
  if (fault === "redirect-to-https") {
    res.writeHead(301, { location: `https://${req.headers.host}${req.url}` }).end();
  } else if (fault === "settings-captured" && req.url === "/settings.json") {
    res.writeHead(403, { "content-type": "application/json" }).end(JSON.stringify({ message: "Forbidden" }));
  } else if (fault === "api-in-other-region" && region !== undefined) {
    // API Gateway's words for a credential scoped to the wrong region (the trailing space is its own):
    // https://zenn.dev/hiroga/articles/api-gateway-cross-account-trouble-shooting
    const body = JSON.stringify({ message: `Credential should be scoped to a valid region, not '${region}'. ` });
    res.writeHead(403, { "content-type": "application/json", "x-amzn-errortype": "InvalidSignatureException" }).end(body);
  } else {
    return false;
  }
  req.resume();
  return true;
}

function refuseUpgrade(fault: Fault, req: IncomingMessage, socket: Duplex): boolean {
  if (fault === "redirect-to-https") {
    socket.end(`HTTP/1.1 301 Moved Permanently\r\nLocation: https://${req.headers.host}${req.url}\r\nContent-Length: 0\r\n\r\n`);
  } else if (fault === "socket-not-routed") {
    socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
  } else {
    return false;
  }
  return true;
}

function forwardedHeaders(fault: Fault, headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const copy = { ...headers };
  if (fault === "strip-authorization") delete copy.authorization;
  return copy;
}

/** Starts a loopback proxy to `target` (`http://127.0.0.1:<port>`) that forwards HTTP and WebSocket upgrades with `fault`. */
export async function startMisconfiguredProxy(target: string, fault: Fault): Promise<Proxy> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    if (answerHttp(fault, req, res)) return;
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: forwardedHeaders(fault, req.headers) },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", () => res.destroy());
    req.pipe(forward);
  });
  server.on("upgrade", (req, socket, head) => {
    socket.on("error", () => undefined);
    if (refuseUpgrade(fault, req, socket)) return;
    const origin = connect(Number(upstream.port), upstream.hostname, () => {
      origin.write(`${req.method} ${req.url} HTTP/1.1\r\n${headerLines(forwardedHeaders(fault, req.headers))}\r\n`);
      origin.write(head);
      origin.pipe(socket);
      socket.pipe(origin);
    });
    origin.on("error", () => socket.destroy());
    socket.on("close", () => origin.destroy());
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
