import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { AUTHORIZER_ENTRY, CHAT_ROUTES, FANOUT_WORKER_ENTRY } from "../lambdas/contract/routes";
import { bundleHandlers } from "../src/functions/lambda-bundle";
import { wsEvent } from "./support/chat-harness";
import { useChatPeers } from "./support/chat-peers";
import { seedConnections } from "../tools/fakes/seed";

/** Each zip at most 250 KB (decimal, the stricter reading). */
const MAX_ZIP_BYTES = 250_000;
/** Every handler the stack can deploy: the routes', the fan-out worker's and the authorizer's. */
const NAMES = [...Object.values(CHAT_ROUTES).map((route) => route.entry), FANOUT_WORKER_ENTRY, AUTHORIZER_ENTRY];
const ENTRIES: Record<string, string> = Object.fromEntries(NAMES.map((name) => [name, join(__dirname, "..", "lambdas", `${name}.ts`)]));

/** The version npm installed for `pkg`: what the tests ran. */
const pinned = (pkg: string): string => (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), "utf8")) as { version: string }).version;

describe("handler zips", () => {
  const peers = useChatPeers();

  test(`each handler zip is at most ${MAX_ZIP_BYTES} bytes`, () => {
    const bundles = bundleHandlers(ENTRIES);
    for (const name of NAMES) expect({ name, bytes: bundles[name].bytes, fits: bundles[name].bytes <= MAX_ZIP_BYTES }).toMatchObject({ name, fits: true });
  });

  test("a zip runs on its own, with no node_modules, and speaks with the pinned SDK version", async () => {
    // GIVEN sendmessage's index.js alone in a folder outside the project, and the local peers
    const dir = mkdtempSync(join(tmpdir(), "wscf-zip-run-"));
    const { dynamo, api } = peers;
    try {
      writeFileSync(join(dir, "index.js"), unzipSync(readFileSync(bundleHandlers(ENTRIES).sendmessage.zipPath))["index.js"]);
      const tableName = await peers.freshTable();
      await seedConnections(dynamo.client, tableName, ["zip-a=", "zip-b="], api);
      const event = wsEvent("sendmessage", "zip-a=", JSON.stringify({ action: "sendmessage", data: "from the zip" }));
      // WHEN a fresh node process requires it with an empty NODE_PATH (asynchronously: the peers live here)
      const script = `require("./index.js").handler(JSON.parse(process.argv[1])).then((r) => process.stdout.write(JSON.stringify(r)))`;
      const output = await new Promise<string>((done, fail) => {
        const child = spawn(process.execPath, ["-e", script, JSON.stringify(event)], {
          cwd: dir,
          stdio: ["ignore", "pipe", "pipe"],
          env: {
            PATH: process.env.PATH,
            NODE_PATH: "",
            NODE_NO_WARNINGS: "1",
            POWERTOOLS_LOG_LEVEL: "SILENT",
            ...peers.environment(tableName),
          },
        });
        let out = "";
        let err = "";
        child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
        child.on("exit", (code) => (code === 0 ? done(out) : fail(new Error(`exit ${code}: ${err}`))));
      });
      // THEN it broadcast, printing its metrics (one EMF line) before the result, and its @connections requests name the client version installed here
      const [emf, result] = output.split("\n");
      expect(JSON.parse(emf)).toMatchObject({ _aws: expect.any(Object), Delivered: 2 });
      expect(JSON.parse(result)).toMatchObject({ statusCode: 200 });
      expect(api.received("zip-b=")).toEqual(["from the zip"]);
      const version = pinned("@aws-sdk/client-apigatewaymanagementapi");
      for (const request of api.requests) expect(request.headers["user-agent"]).toContain(`api/apigatewaymanagementapi#${version}`);
      expect(api.requests).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
