import { resolve } from "node:path";

/**
 * The project root: relative paths of the configuration (`siteDir`, the config file) and the
 * handlers are resolved against it, never against the working directory. This file lives in
 * src/ and is bundled into dist/, both one level below the root.
 */
export const PROJECT_ROOT = resolve(__dirname, "..");
