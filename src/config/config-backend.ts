import { z } from "zod";
import { ruleProblem, S3_BUCKET_NAME } from "../aws/string-rules";
import { fqdn, region } from "./config-fields";

const LocalBackendSchema = z.strictObject({
  type: z.literal("local"),
  /** State file, relative to the project root. @default "terraform.<stack>.tfstate" */
  path: z.string().min(1).optional(),
});

const S3BackendSchema = z.strictObject({
  type: z.literal("s3"),
  bucket: z.string().superRefine((name, context) => {
    const problem = ruleProblem(S3_BUCKET_NAME, name);
    if (problem !== undefined) context.addIssue({ code: "custom", message: problem });
  }),
  /**
   * `terraform init` refuses a key that starts or ends with "/" or holds "//" (validateStringS3Path,
   * hashicorp/terraform#15738 and #33869); S3 keys are at most 1024 bytes of UTF-8
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html).
   * @default "websocket-cloudfront/terraform.tfstate"
   */
  key: z
    .string()
    .min(1)
    .refine((key) => Buffer.byteLength(key, "utf8") <= 1024, "must be at most 1024 bytes in UTF-8 (S3's key limit)")
    .refine(
      (key) => !key.startsWith("/") && !key.endsWith("/") && !key.includes("//"),
      'must not start or end with "/" nor contain "//" (terraform init refuses it); for example websocket-cloudfront/terraform.tfstate',
    )
    .default("websocket-cloudfront/terraform.tfstate"),
  /** @default the stack's region */
  region: region.optional(),
  /** Customer-managed KMS key for the state object. @default - SSE with the S3-managed key */
  kmsKeyId: z.string().min(1).optional(),
});

const CloudBackendSchema = z.strictObject({
  type: z.literal("cloud"),
  organization: z.string().regex(/^[A-Za-z0-9_-]+$/, "must be a Terraform Cloud organization name"),
  workspace: z.string().regex(/^[A-Za-z0-9_-]{1,90}$/, "must be a Terraform Cloud workspace name (A-Z, a-z, 0-9, _ and -)"),
  /** @default "app.terraform.io" */
  hostname: fqdn("host name").default("app.terraform.io"),
});

/** `{ "path": … }` alone (or WSCF_BACKEND_PATH alone) means the local backend, as the README documents. */
const impliedLocalType = (backend: unknown) =>
  typeof backend === "object" && backend !== null && !("type" in backend) && Object.keys(backend).every((key) => key === "path")
    ? { ...backend, type: "local" }
    : backend;

/** Where Terraform keeps state: local, S3 (encrypted, locked) or Terraform Cloud. */
export const BackendSchema = z.preprocess(
  impliedLocalType,
  z.discriminatedUnion("type", [LocalBackendSchema, S3BackendSchema, CloudBackendSchema], {
    error: () => `must have "type": "local", "s3" or "cloud"`,
  }),
);

/** The local backend's state file, relative to the project root: the configured path, or one named after the stack. */
export function localStateFile(backend: { readonly path?: string }, stackName: string): string {
  return backend.path ?? `terraform.${stackName}.tfstate`;
}
