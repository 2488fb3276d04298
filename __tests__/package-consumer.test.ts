import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { cliConfigFile, offlineWorkdir, readPlanStream, requireTerraform, terraform, stopCommandsLeftRunning } from "./support/terraform";

const run = promisify(execFile);
const ROOT = resolve(__dirname, "..");
const PEERS = ["cdktf", "constructs", "@cdktf/provider-aws"];

/** The README's consumer app: the first TypeScript block under "Use it in your own CDKTF app". */
function readmeConsumerApp(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Use it in your own CDKTF app"));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error("README has no ```ts block under 'Use it in your own CDKTF app'");
  return match[1];
}

/** cdktf's own TypeScript template's compiler options (cdktf init --template=typescript). */
const TEMPLATE_TSCONFIG = {
  compilerOptions: {
    alwaysStrict: true,
    declaration: true,
    experimentalDecorators: true,
    inlineSourceMap: true,
    inlineSources: true,
    lib: ["es2018"],
    module: "CommonJS",
    noEmitOnError: true,
    noFallthroughCasesInSwitch: true,
    noImplicitAny: true,
    noImplicitReturns: true,
    noImplicitThis: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    resolveJsonModule: true,
    strict: true,
    strictNullChecks: true,
    strictPropertyInitialization: true,
    stripInternal: true,
    target: "ES2018",
    incremental: true,
    skipLibCheck: true,
  },
  include: ["**/*.ts"],
  exclude: ["node_modules", "cdktf.out"],
};

const quiet = { ...process.env, npm_config_loglevel: "error", npm_config_update_notifier: "false", CHECKPOINT_DISABLE: "1" };

/**
 * GIVEN the tarball `npm pack` makes, installed with npm into a scratch project outside the
 * repository laid out like cdktf's TypeScript template (the peers linked from this checkout, so
 * nothing is downloaded), WHEN the README's main.ts is compiled with tsc and run.
 */
async function buildConsumerApp() {
  const packDir = mkdtempSync(join(tmpdir(), "wscf-pack-"));
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", packDir], { cwd: ROOT, env: quiet, timeout: 120_000 });
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf("[")));
  const tarball = join(packDir, packed.filename);

  const app = mkdtempSync(join(tmpdir(), "wscf-consumer-"));
  const dependencies = Object.fromEntries([
    ["websocket-cloudfront", `file:${tarball}`],
    ...PEERS.map((name) => [name, `file:${join(ROOT, "node_modules", name)}`]),
  ]);
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: "socket-app", version: "1.0.0", main: "main.js", types: "main.ts", private: true, dependencies }, null, 2),
  );
  writeFileSync(join(app, "tsconfig.json"), JSON.stringify(TEMPLATE_TSCONFIG, null, 2));
  writeFileSync(join(app, "main.ts"), readmeConsumerApp());
  // --legacy-peer-deps: npm 11 crashes placing peers that are file: links (TypeError in arborist's
  // Link.matches); the peers are links so that nothing is downloaded. The peer ranges are tested apart.
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts", "--legacy-peer-deps"], {
    cwd: app,
    env: quiet,
    timeout: 180_000,
  });
  await run(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", app], { cwd: app, timeout: 120_000 });
  const outdir = join(app, "cdktf.out");
  await run(process.execPath, ["main.js"], { cwd: app, env: { ...quiet, CDKTF_OUTDIR: outdir }, timeout: 60_000 });
  const stackDir = join(outdir, "stacks", "socket");
  return { app, packed, stackDir, tf: JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) };
}

// Minutes on a quiet 2-core machine; several times that when CI runs two suites beside each other on it.
jest.setTimeout(600_000);
afterAll(stopCommandsLeftRunning);

describe("the package, as a consumer installs it", () => {
  requireTerraform();
  const consumer = buildConsumerApp();
  const cliConfig = cliConfigFile();
  const planned = consumer.then(async ({ stackDir }) => {
    const dir = offlineWorkdir(stackDir);
    await terraform(dir, cliConfig, "init", "-input=false", "-no-color");
    // The plan's own machine-readable stream names each planned change and its action, and carries
    // the diagnostics of the validation a plan runs first: no `validate` or `show -json` (each another
    // start of the provider, and a load of its schema) is needed for what is asserted.
    return readPlanStream(await terraform(dir, cliConfig, "plan", "-input=false", "-no-color", "-lock=false", "-json"));
  });
  planned.catch(() => undefined);

  test("the tarball holds the built library with its types, and no tests, tools, handlers or app", async () => {
    const { packed } = await consumer;
    const files: string[] = packed.files.map((file: { path: string }) => file.path);
    expect(files).toEqual(
      expect.arrayContaining(["package.json", "dist/lib/index.js", "dist/lib/index.d.ts", "dist/lib/front-door/websocket-cloudfront.d.ts"]),
    );
    expect(files.filter((file) => !/^(dist\/lib\/.+\.(js|d\.ts)|package\.json|README\.md|LICENSE)$/.test(file))).toEqual([]);
  });

  test("it declares cdktf, constructs and @cdktf/provider-aws as peers, at the versions this project pins", async () => {
    const { app } = await consumer;
    const installed = JSON.parse(readFileSync(join(app, "node_modules", "websocket-cloudfront", "package.json"), "utf8"));
    const pinned = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).devDependencies;
    expect(installed.peerDependencies).toEqual(Object.fromEntries(PEERS.map((name) => [name, `^${pinned[name]}`])));
    expect(Object.keys(installed.dependencies)).toEqual(["mime-types"]);
  });

  test("the library resolves from the consumer's node_modules, not from this checkout", async () => {
    const { app } = await consumer;
    const resolved = realpathSync(require.resolve("websocket-cloudfront", { paths: [app] }));
    expect(resolved.startsWith(realpathSync(app))).toBe(true);
  });

  test("the README's main.ts synthesizes a stack of the front door alone: nothing of the chat sample", async () => {
    const { tf } = await consumer;
    const types = Object.keys(tf.resource).sort();
    expect(types).toEqual([
      "aws_acm_certificate",
      "aws_acm_certificate_validation",
      "aws_apigatewayv2_api",
      "aws_apigatewayv2_api_mapping",
      "aws_apigatewayv2_domain_name",
      "aws_apigatewayv2_integration",
      "aws_apigatewayv2_route",
      "aws_apigatewayv2_stage",
      "aws_cloudfront_distribution",
      "aws_route53_record",
    ]);
    const [distribution] = Object.values(tf.resource.aws_cloudfront_distribution) as any[];
    expect(distribution.aliases).toEqual(["socket.example.org"]);
    expect(distribution.ordered_cache_behavior[0]).toMatchObject({ path_pattern: "websocket*", viewer_protocol_policy: "https-only" });
    expect(tf.output.management_endpoint.value).toBe("https://socket.example.org/websocket");
  });

  test("terraform plan (its validation included) accepts it offline with the real provider", async () => {
    const { diagnostics, changes } = await planned;
    expect(diagnostics).toEqual([]);
    const actions = changes.map((change) => change.action);
    expect(new Set(actions)).toEqual(new Set(["create"]));
    // API, integration, route, stage; 2 certificates, 2 validations, 1 validation record; domain, mapping; distribution; A + AAAA.
    expect(actions).toHaveLength(14);
  });
});
