import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { PROJECT_ROOT } from "./project-root";

/**
 * The Node.js major the functions run on in Lambda, from .nvmrc: the one place it is set (the
 * runtime, the bundles' esbuild target, CI's second Node and the SDK-warning switch all read it).
 */
export const LAMBDA_NODE_MAJOR = Number.parseInt(readFileSync(resolve(PROJECT_ROOT, ".nvmrc"), "utf8").trim().replace(/^v/, ""), 10);

/** Lambda's runtime identifier for it, e.g. "nodejs22.x". */
export const LAMBDA_RUNTIME = `nodejs${LAMBDA_NODE_MAJOR}.x`;
