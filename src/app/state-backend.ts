import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, type TerraformStack } from "cdktf";
import { isAbsolute, posix } from "node:path";
import type { BackendConfig } from "../config/config";
import { localStateFile } from "../config/config-backend";
import type { AwsRegion } from "../front-door/aws-regions";

/**
 * Attaches the Terraform backend that the configuration names. `local` lets synth and plan run
 * on a machine with no AWS account; `s3` encrypts and locks with S3's native lock file
 * (Terraform >= 1.10); `cloud` makes cdktf.out/stacks/<stack> a Terraform Cloud workspace as it is.
 */
export function configureBackend(stack: TerraformStack, backend: BackendConfig, stackName: string, region: AwsRegion): void {
  switch (backend.type) {
    case "local": {
      // Terraform runs in cdktf.out/stacks/<stack>; keep state at the project root (as cdktf's
      // default does) but with a relative path, so the JSON names no machine's folders.
      const path = localStateFile(backend, stackName);
      new LocalBackend(stack, { path: isAbsolute(path) ? path : posix.join("..", "..", "..", path) });
      return;
    }
    case "s3": {
      const s3 = new S3Backend(stack, {
        bucket: backend.bucket,
        key: backend.key,
        region: backend.region ?? region,
        encrypt: true,
        kmsKeyId: backend.kmsKeyId,
      });
      // cdktf 0.21 has no typed use_lockfile; the override writes it into the backend block.
      s3.addOverride("use_lockfile", true);
      return;
    }
    case "cloud":
      new CloudBackend(stack, {
        hostname: backend.hostname,
        organization: backend.organization,
        workspaces: new NamedCloudWorkspace(backend.workspace),
      });
      return;
  }
}
