import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSync } from "esbuild";
import { zipSync } from "fflate";

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
 * Bundles each entry with esbuild for the Lambda Node.js 22 runtime (CommonJS, minified) in ONE
 * esbuild call, and zips each bundle as `index.js`. The AWS SDK v3 is left out: the runtime ships
 * it, and the zips stay small.
 */
export function bundleHandlers<Name extends string>(
  entries: Record<Name, string>,
  outDir = join(tmpdir(), "wscf-lambda-bundles"),
): Record<Name, LambdaBundle> {
  const names = Object.keys(entries) as Name[];
  const result = buildSync({
    entryPoints: names.map((name) => ({ in: entries[name], out: name })),
    outdir: "/bundles",
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    minify: true,
    legalComments: "none",
    external: ["@aws-sdk/*", "@smithy/*"],
    write: false,
    logLevel: "silent",
  });
  mkdirSync(outDir, { recursive: true });
  const bundles = {} as Record<Name, LambdaBundle>;
  for (const name of names) {
    const code = result.outputFiles.find((file) => file.path === `/bundles/${name}.js`)!.contents;
    bundles[name] = writeZip(code, outDir);
  }
  return bundles;
}

function writeZip(code: Uint8Array, outDir: string): LambdaBundle {
  const zip = zipSync({ "index.js": [code, { mtime: ZIP_MTIME, level: 9 }] });
  const digest = createHash("sha256").update(zip);
  const sourceCodeHash = digest.copy().digest("base64");
  const zipPath = join(outDir, `${digest.digest("hex").slice(0, 16)}.zip`);
  writeFileSync(zipPath, zip);
  return { zipPath, sourceCodeHash, bytes: zip.byteLength };
}
