import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** GIVEN a site folder holding these files (relative paths, any depth); its absolute path. */
export function siteFolder(...files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "wscf-site-"));
  for (const file of files) {
    mkdirSync(join(dir, file, ".."), { recursive: true });
    writeFileSync(join(dir, file), "x");
  }
  return dir;
}
