import { readFileSync } from "node:fs";
import { z } from "zod";
import { STACK_NAME } from "../../src/app/stack-name";

/** Where `npm run deploy` (`cdktf deploy --outputs-file cdktf-outputs.json`) writes the outputs, in the project root. */
export const OUTPUTS_FILE = "cdktf-outputs.json";

/**
 * The outputs smoke (and npm run publish) read. cdktf 0.21 writes `{ "<stack>": { "<output id>": <value> } }`
 * (`saveOutputs` in @cdktf/cli-core/src/lib/output.js: outputs keyed by construct id, values
 * unpacked, sensitive ones left out). `region` and `api_default_endpoint` are optional: a file
 * from an older stack has no `region`, and `api_default_endpoint` exists only when the stack
 * disables the API's default endpoint.
 */
const StackOutputs = z.looseObject({
  site_url: z.url({ protocol: /^https?$/ }),
  websocket_url: z.url({ protocol: /^wss?$/ }),
  region: z.string().min(1).optional(),
  api_default_endpoint: z.url({ protocol: /^wss?$/ }).optional(),
  // npm run publish's target; a file from a stack before server-side publish has none.
  publish_function_name: z.string().min(1).optional(),
});

export type StackOutputs = z.infer<typeof StackOutputs>;

/** The file could not be used: says which file and why, and how to get a good one. */
export class OutputsFileError extends Error {
  constructor(path: string, problem: string) {
    super(`${path}: ${problem}. Run \`npm run deploy\` again to rewrite it, or give --url (and --region) instead`);
    this.name = "OutputsFileError";
  }
}

/** Reads the stack's outputs from `path`; undefined when there is no such file. Throws OutputsFileError when it is unusable. */
export function readStackOutputs(path: string): StackOutputs | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new OutputsFileError(path, `cannot be read (${(error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new OutputsFileError(path, "is not JSON");
  }
  const stack = z.looseObject({ [STACK_NAME]: StackOutputs }).safeParse(json);
  if (!stack.success) {
    const problems = stack.error.issues.map((issue) => `${issue.path.join(".") || "(top)"}: ${issue.message}`).join("; ");
    throw new OutputsFileError(path, `does not hold the ${STACK_NAME} stack's outputs (${problems})`);
  }
  return stack.data[STACK_NAME];
}
