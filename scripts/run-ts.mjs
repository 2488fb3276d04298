// Runs a TypeScript command-line entry (dev/cli.ts, dev/smoke/cli.ts) without ts-node: bundles it
// with esbuild into dist/<name>.js (node_modules stay external) and runs that in this process.
// Usage: node scripts/run-ts.mjs <entry.ts> [args...]
import { build } from "esbuild";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { quietSdkNodeVersionWarning } from "./sdk-node-warning.cjs";

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error("usage: node scripts/run-ts.mjs <entry.ts> [args...]");
  process.exit(2);
}
const name = path.relative(".", entry).replace(/\.ts$/, "").replaceAll(path.sep, "-");
const outfile = path.resolve("dist", `${name}.js`);
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  packages: "external",
  sourcemap: "inline",
  logLevel: "warning",
});
quietSdkNodeVersionWarning();
process.argv = [process.argv[0], outfile, ...args];
process.setSourceMapsEnabled(true);
await import(pathToFileURL(outfile).href);
