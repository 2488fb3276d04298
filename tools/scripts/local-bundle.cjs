// How the project's own code that runs on this machine's Node (the synth app, the dev tools, the
// benchmarks) is bundled: one CommonJS file per entry point, rebuilt like make only when a file that
// went into it changed (esbuild's metafile lists them). The Lambda handlers are bundled for Lambda's
// Node instead, by src/functions/lambda-bundle.ts. CommonJS, not ES modules, so that the `--require`
// hook of run-ts.cjs can build synchronously.
const { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require("node:fs");
const { dirname, join, resolve } = require("node:path");

/** The project root (this file is tools/scripts/): scripts resolve every path against it, never the working directory. */
const PROJECT_ROOT = resolve(__dirname, "..", "..");

/** The oldest Node major package.json's `engines` admits (e.g. 20 for "^20.17.0 || ^22.9.0"). */
function oldestEngineMajor() {
  const range = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")).engines.node;
  return Math.min(...[...range.matchAll(/(\d+)\.\d+\.\d+/g)].map((match) => Number(match[1])));
}

/** esbuild options for a bundle this machine's Node runs: CommonJS, for the oldest Node the project supports. */
const LOCAL_NODE_BUILD_OPTIONS = Object.freeze({
  bundle: true,
  platform: "node",
  target: `node${oldestEngineMajor()}`,
  format: "cjs",
  logLevel: "warning",
});

/** Where `outfile`'s metafile goes: the list of the files that went into it. */
const metafileOf = (outfile) => outfile.replace(/\.js$/, ".meta.json");

/** Whether `outfile` exists and no file that went into it (its metafile's inputs) changed since it was built. */
function upToDate(outfile) {
  const metafile = metafileOf(outfile);
  if (!existsSync(outfile) || !existsSync(metafile)) return false;
  const built = statSync(outfile).mtimeMs;
  const inputs = Object.keys(JSON.parse(readFileSync(metafile, "utf8")).inputs).map((input) => resolve(PROJECT_ROOT, input));
  return inputs.every((input) => existsSync(input) && statSync(input).mtimeMs <= built);
}

/** Writes `content` to `file` through a rename: two processes that build the same bundle at once never read half a file. */
function writeWhole(file, content) {
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, content);
  renameSync(partial, file);
}

/**
 * Bundles `entry` into `outfile` unless it is up to date, or `force`; returns `outfile`. `options`
 * are esbuild's, added to LOCAL_NODE_BUILD_OPTIONS (or a function that returns them, called only
 * when a build is due).
 */
function bundleIfChanged(entry, outfile, options = {}, force = false) {
  if (!force && upToDate(outfile)) return outfile;
  const { buildSync } = require("esbuild");
  const result = buildSync({
    ...LOCAL_NODE_BUILD_OPTIONS,
    ...(typeof options === "function" ? options() : options),
    entryPoints: [entry],
    outfile,
    absWorkingDir: PROJECT_ROOT,
    metafile: true,
    write: false,
  });
  mkdirSync(dirname(outfile), { recursive: true });
  writeWhole(metafileOf(outfile), JSON.stringify(result.metafile));
  for (const file of result.outputFiles) writeWhole(file.path, file.contents);
  return outfile;
}

module.exports = { PROJECT_ROOT, bundleIfChanged, upToDate };
