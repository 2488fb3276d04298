import { once } from "node:events";
import { createServer, request, type IncomingHttpHeaders } from "node:http";
import { connect, type AddressInfo } from "node:net";

/** A CloudFront misconfiguration from DESIGN.md, played by a proxy in front of the local gateway. */
export type Fault =
  /** R4: the behavior does not forward Authorization. */
  | "strip-authorization"
  /** R6: viewer protocol policy redirect-to-https. */
  | "redirect-to-https";

export interface Proxy {
  readonly url: string;
  close(): Promise<void>;
}

function headerLines(headers: IncomingHttpHeaders): string {
  return Object.entries(headers)
    .flatMap(([name, value]) => (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((v) => `${name}: ${v}\r\n`))
    .join("");
}

/** Starts a loopback proxy to `target` (`http://127.0.0.1:<port>`) that forwards HTTP and WebSocket upgrades with `fault`. */
export async function startMisconfiguredProxy(target: string, fault: Fault): Promise<Proxy> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    if (fault === "redirect-to-https") {
      res.writeHead(301, { location: `https://${req.headers.host}${req.url}` }).end();
      req.resume();
      return;
    }
    const headers = { ...req.headers };
    delete headers.authorization;
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on("error", () => res.destroy());
    req.pipe(forward);
  });
  server.on("upgrade", (req, socket, head) => {
    socket.on("error", () => undefined);
    if (fault === "redirect-to-https") {
      socket.end(`HTTP/1.1 301 Moved Permanently\r\nLocation: https://${req.headers.host}${req.url}\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const headers = { ...req.headers };
    delete headers.authorization;
    const origin = connect(Number(upstream.port), upstream.hostname, () => {
      origin.write(`${req.method} ${req.url} HTTP/1.1\r\n${headerLines(headers)}\r\n`);
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
