import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const ROOT = resolve(__dirname, "..");

describe("npm ci runs no dependency's install script, and needs none", () => {
  test("every package with an install script is decided in package.json's allowScripts, so npm 11 has nothing to warn about", () => {
    const listing = JSON.parse(execFileSync("npm", ["install-scripts", "ls", "--json"], { cwd: ROOT, encoding: "utf8", timeout: 60_000 }));
    expect(listing.allowScripts).toEqual([]);
  });

  test("each is denied: the platform binaries come as optional dependencies or prebuilds, which the suites using them prove", () => {
    // esbuild (the zips, synth-output), @swc/core (Jest's transform), classic-level (dynalite's store),
    // @cdktf/node-pty-prebuilt-multiarch (cdktf diff in terraform-plan): their scripts would only
    // download or rebuild what their packages already ship, and downloads fail on machines without internet.
    const { allowScripts } = JSON.parse(readFileSync(resolve(ROOT, "package.json"), "utf8"));
    expect(allowScripts).toEqual({ "@cdktf/node-pty-prebuilt-multiarch": false, "@swc/core": false, "classic-level": false, esbuild: false });
  });
});
