import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/** The nearest folder at or above `start` that holds a package.json. */
function packageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

/**
 * The project root: relative paths of the configuration (`siteDir`, the config file) and the
 * handlers are resolved against it, never against the working directory. Found from this file's
 * folder, which is src/functions/ when run from source and dist/ when bundled into the app.
 */
export const PROJECT_ROOT = packageRoot(__dirname);
