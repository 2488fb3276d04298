// Bundles the CDKTF app into dist/main.js: `node dist/main.js` synthesizes in well under a
// second, where ts-node type-checks and loads thousands of provider files on every synth.
import { build } from "esbuild";

await build({
  entryPoints: ["main.ts"],
  outfile: "dist/main.js",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  // Minified: V8 parses and compiles half the bytes on every synth.
  minify: true,
  // esbuild bundles the Lambda handlers at synth time and must load its own native binary.
  external: ["esbuild"],
  logLevel: "warning",
});
