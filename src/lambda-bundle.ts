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
 * Bundles `entry` with esbuild for the Lambda Node.js 22 runtime (CommonJS, minified) and zips it
 * as `index.js`. The AWS SDK v3 is left out: the runtime ships it, and the zips stay small.
 */
export function bundleHandler(entry: string, outDir = join(tmpdir(), "wscf-lambda-bundles")): LambdaBundle {
  const result = buildSync({
    entryPoints: [entry],
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
  const code = result.outputFiles[0].contents;
  const zip = zipSync({ "index.js": [code, { mtime: ZIP_MTIME, level: 9 }] });
  const sourceCodeHash = createHash("sha256").update(zip).digest("base64");
  mkdirSync(outDir, { recursive: true });
  const zipPath = join(outDir, `${createHash("sha256").update(zip).digest("hex").slice(0, 16)}.zip`);
  writeFileSync(zipPath, zip);
  return { zipPath, sourceCodeHash, bytes: zip.byteLength };
}
