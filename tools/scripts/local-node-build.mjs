// What the project's own scripts share: where the project is, and how code that runs on this
// machine's Node (the synth app, the benchmarks) is bundled. The Lambda handlers are bundled for
// Lambda's Node instead, by src/functions/lambda-bundle.ts.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

/** The project root (this file is tools/scripts/): scripts resolve every path against it, never the working directory. */
export const PROJECT_ROOT = resolve(import.meta.dirname, "..", "..");

/** The oldest Node major package.json's `engines` admits (e.g. 20 for "^20.17.0 || ^22.9.0"). */
function oldestEngineMajor() {
  const range = JSON.parse(readFileSync(resolve(PROJECT_ROOT, "package.json"), "utf8")).engines.node;
  return Math.min(...[...range.matchAll(/(\d+)\.\d+\.\d+/g)].map((match) => Number(match[1])));
}

/** esbuild options for a bundle this machine's Node runs: CommonJS, for the oldest Node the project supports. */
export const LOCAL_NODE_BUILD_OPTIONS = Object.freeze({
  bundle: true,
  platform: "node",
  target: `node${oldestEngineMajor()}`,
  format: "cjs",
  logLevel: "warning",
});
