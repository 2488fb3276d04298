// Bundles the CDKTF app into dist/main.js: `node dist/main.js` synthesizes in well under a
// second, where ts-node type-checks and loads thousands of provider files on every synth.
// Like make, it rebuilds only when a file that went into the last bundle changed (local-bundle.cjs),
// so `cdktf synth` pays for the bundle once, not on every run.
// With --run it then runs the app in this same process (cdktf.json's "app"): one Node start-up, not two.
import { statSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PROJECT_ROOT as ROOT, bundleIfChanged, upToDate } from "./local-bundle.cjs";

const OUTFILE = resolve(ROOT, "dist/main.js");

/** Builds dist/main.js unless it is up to date (or `force`); returns its path. */
export function ensureAppBuilt(force = false) {
  return bundleIfChanged(
    resolve(ROOT, "main.ts"),
    OUTFILE,
    {
      // Minified: V8 parses and compiles half the bytes on every synth.
      minify: true,
      // esbuild bundles the Lambda handlers at synth time and must load its own native binary.
      external: ["esbuild"],
    },
    force,
  );
}

/** Runs the built app in this process: require, not import() (an ESM import of a CommonJS file first scans all of it for exports). */
export function runApp(outfile) {
  createRequire(import.meta.url)(outfile);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const force = process.argv.includes("--force");
  const fresh = !force && upToDate(OUTFILE);
  const started = performance.now();
  const outfile = ensureAppBuilt(force);
  if (process.argv.includes("--run")) runApp(outfile);
  else {
    const size = `${Math.round(statSync(outfile).size / 1024)} KB`;
    console.log(fresh ? `${outfile} is up to date (${size})` : `Bundled the app into ${outfile} (${size}) in ${Math.round(performance.now() - started)} ms`);
  }
}
