// Bundles the CDKTF app into dist/main.js: `node dist/main.js` synthesizes in well under a
// second, where ts-node type-checks and loads thousands of provider files on every synth.
// Like make, it rebuilds only when a file that went into the last bundle changed (esbuild's
// metafile lists them), so `cdktf synth` pays for the bundle once, not on every run.
// With --run it then runs the app in this same process (cdktf.json's "app"): one Node start-up, not two.
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LOCAL_NODE_BUILD_OPTIONS, PROJECT_ROOT as ROOT } from "./local-node-build.mjs";

const OUTFILE = resolve(ROOT, "dist/main.js");
const METAFILE = resolve(ROOT, "dist/main.meta.json");

function upToDate() {
  if (!existsSync(OUTFILE) || !existsSync(METAFILE)) return false;
  const built = statSync(OUTFILE).mtimeMs;
  const inputs = Object.keys(JSON.parse(readFileSync(METAFILE, "utf8")).inputs).map((input) => resolve(ROOT, input));
  return inputs.every((input) => existsSync(input) && statSync(input).mtimeMs <= built);
}

/** Builds dist/main.js unless it is up to date (or `force`); returns its path. */
export async function ensureAppBuilt(force = false) {
  if (force || !upToDate()) {
    const { build } = await import("esbuild");
    const result = await build({
      entryPoints: [resolve(ROOT, "main.ts")],
      outfile: OUTFILE,
      absWorkingDir: ROOT,
      ...LOCAL_NODE_BUILD_OPTIONS,
      // Minified: V8 parses and compiles half the bytes on every synth.
      minify: true,
      // esbuild bundles the Lambda handlers at synth time and must load its own native binary.
      external: ["esbuild"],
      metafile: true,
    });
    writeFileSync(METAFILE, JSON.stringify(result.metafile));
  }
  return OUTFILE;
}

/** Runs the built app in this process: require, not import() (an ESM import of a CommonJS file first scans all of it for exports). */
export function runApp(outfile) {
  createRequire(import.meta.url)(outfile);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const force = process.argv.includes("--force");
  const fresh = !force && upToDate();
  const started = performance.now();
  const outfile = await ensureAppBuilt(force);
  if (process.argv.includes("--run")) runApp(outfile);
  else {
    const size = `${Math.round(statSync(outfile).size / 1024)} KB`;
    console.log(fresh ? `${outfile} is up to date (${size})` : `Bundled the app into ${outfile} (${size}) in ${Math.round(performance.now() - started)} ms`);
  }
}
