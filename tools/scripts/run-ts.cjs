// `node --require ./tools/scripts/run-ts.cjs <file>.ts [args]`: how the project's TypeScript tools
// (npm run dev, smoke, publish, the deploy guard, …) run on this machine's Node. The entry point is
// bundled with the project's own files it imports into dist/run/<its path>.js (local-bundle.cjs:
// rebuilt only after one of them changed) and run from there; packages load from node_modules as
// usual. One file instead of a loader that compiles each module as it is imported: a tool starts in
// about half the CPU time tsx takes (docs/testing.md). Stack traces point into the .ts sources.
const { readFileSync } = require("node:fs");
const { dirname, join, relative, sep } = require("node:path");
const { pathToFileURL } = require("node:url");
const { PROJECT_ROOT, bundleIfChanged } = require("./local-bundle.cjs");

/** Whether Node 20's require() can load the package: not ES modules only (jose is; esbuild bundles it as CommonJS instead). */
function requireable(name) {
  const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, "node_modules", name, "package.json"), "utf8"));
  return manifest.type !== "module" || JSON.stringify(manifest.exports ?? {}).includes('"require"');
}

/** The packages the bundles leave to node_modules: every package.json dependency require() can load. */
function externalPackages() {
  const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8"));
  return Object.keys({ ...manifest.dependencies, ...manifest.devDependencies, ...manifest.peerDependencies }).filter(requireable);
}

require.extensions[".ts"] = (module, filename) => {
  const path = relative(PROJECT_ROOT, filename);
  if (path.startsWith(`..${sep}`)) throw new Error(`run-ts.cjs runs the TypeScript files of ${PROJECT_ROOT} only, not ${filename}`);
  const outfile = join(PROJECT_ROOT, "dist", "run", path.replace(/\.ts$/, ".js"));
  bundleIfChanged(filename, outfile, () => ({
    external: externalPackages(),
    // Mappings only (no copy of the sources), resolved from the bundle's folder: the module below
    // is compiled under the entry's name, so __dirname is the entry's folder in every file of the
    // bundle (the project's code finds its root by walking up: src/functions/project-root.ts).
    sourcemap: "inline",
    sourcesContent: false,
    sourceRoot: `${pathToFileURL(dirname(outfile)).href}/`,
  }));
  process.setSourceMapsEnabled(true);
  module._compile(readFileSync(outfile, "utf8"), filename);
};
