import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildSync, type BuildOptions, version as esbuildVersion } from "esbuild";
import { zipSync } from "fflate";
import { LAMBDA_NODE_MAJOR } from "./lambda-node";

/** The folder in the temporary folder where the zips are kept between synths (bundleHandlers' default). */
export const LAMBDA_BUNDLE_CACHE = "wscf-lambda-bundles";

/** A handler bundled into a deterministic zip, ready for a TerraformAsset. */
export interface LambdaBundle {
  /** Absolute path of the zip. */
  readonly zipPath: string;
  /** base64(sha256(zip)): what Lambda reports as CodeSha256, so plans stay clean. */
  readonly sourceCodeHash: string;
  /** Size of the zip in bytes. */
  readonly bytes: number;
}

/** Fixed zip entry time: same source, same bytes, same hash. */
const ZIP_MTIME = new Date("1980-01-01T00:00:00Z");

/**
 * How every handler is built. The pinned AWS SDK goes INTO each zip: the client settings
 * (timeouts that throw, the retry strategy honouring abort signals) were tested with that version,
 * not with whatever the runtime ships, and one bundled file loads faster than the runtime's SDK
 * spread over hundreds of files (https://aws.amazon.com/blogs/developer/reduce-lambda-cold-start-times-migrate-to-aws-sdk-for-javascript-v3/).
 */
export const HANDLER_BUILD_OPTIONS: Readonly<BuildOptions> = {
  bundle: true,
  platform: "node",
  target: `node${LAMBDA_NODE_MAJOR}`,
  format: "cjs",
  // The SDK's ES module builds ("module") tree-shake; its CommonJS builds ("main") barely do. As
  // aws-cdk's NodejsFunction suggests ("Try ['module', 'main'] to default to ES module versions",
  // https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_lambda_nodejs.BundlingOptions.html):
  // measured here, ~122 KB zips instead of ~178 KB.
  mainFields: ["module", "main"],
  minify: true,
  legalComments: "none",
  write: false,
  logLevel: "silent",
};

/** What the last build read and made: reused while every input file is byte-for-byte the same. */
interface BundleManifest {
  readonly key: string;
  readonly inputs: Record<string, string>;
  readonly bundles: Record<string, LambdaBundle>;
}

const sha256 = (data: Uint8Array | string, encoding: "hex" | "base64" = "hex") => createHash("sha256").update(data).digest(encoding);

/**
 * Bundles each entry with esbuild for the functions' Lambda Node.js runtime (CommonJS, minified) in ONE
 * esbuild call, and zips each bundle as `index.js`. Synth runs often and handlers change rarely,
 * so the zips are reused while no file that went into them has changed (by content hash).
 */
export function bundleHandlers<Name extends string>(entries: Record<Name, string>, outDir = join(tmpdir(), LAMBDA_BUNDLE_CACHE)): Record<Name, LambdaBundle> {
  const names = Object.keys(entries).sort() as Name[];
  const key = sha256(JSON.stringify({ esbuildVersion, HANDLER_BUILD_OPTIONS, entries: names.map((n) => [n, resolve(entries[n])]) }));
  const manifestPath = join(outDir, `${key.slice(0, 16)}.json`);
  const cached = readManifest(manifestPath, key);
  if (cached) return cached.bundles as Record<Name, LambdaBundle>;

  const result = buildSync({
    ...HANDLER_BUILD_OPTIONS,
    entryPoints: names.map((name) => ({ in: entries[name], out: name })),
    outdir: "/bundles",
    metafile: true,
  });
  mkdirSync(outDir, { recursive: true });
  const bundles = {} as Record<Name, LambdaBundle>;
  for (const name of names) {
    const code = result.outputFiles!.find((file) => file.path === `/bundles/${name}.js`)!.contents;
    bundles[name] = writeZip(code, outDir);
  }
  const inputs = Object.fromEntries(Object.keys(result.metafile!.inputs).map((file) => [resolve(file), sha256(readFileSync(file))]));
  // Written whole, then renamed: a synth running beside this one never reads half a manifest.
  const partial = `${manifestPath}.${process.pid}`;
  writeFileSync(partial, JSON.stringify({ key, inputs, bundles } satisfies BundleManifest));
  renameSync(partial, manifestPath);
  return bundles;
}

function readManifest(path: string, key: string): BundleManifest | undefined {
  if (!existsSync(path)) return undefined;
  const manifest = JSON.parse(readFileSync(path, "utf8")) as BundleManifest;
  const fresh =
    manifest.key === key &&
    Object.values(manifest.bundles).every((bundle) => existsSync(bundle.zipPath) && sha256(readFileSync(bundle.zipPath), "base64") === bundle.sourceCodeHash) &&
    Object.entries(manifest.inputs).every(([file, hash]) => existsSync(file) && sha256(readFileSync(file)) === hash);
  return fresh ? manifest : undefined;
}

function writeZip(code: Uint8Array, outDir: string): LambdaBundle {
  const zip = zipSync({ "index.js": [code, { mtime: ZIP_MTIME, level: 9 }] });
  const zipPath = join(outDir, `${sha256(zip).slice(0, 16)}.zip`);
  writeFileSync(zipPath, zip);
  return { zipPath, sourceCodeHash: sha256(zip, "base64"), bytes: zip.byteLength };
}
