#!/usr/bin/env node
// Writes a Terraform CLI config for this project and prints its path. Where a local provider
// mirror holds hashicorp/aws 5.100.0 (machines without registry access), providers come from it
// (Terraform symlinks an unpacked mirror: no 700 MB copy per init); elsewhere from the registry.
// Usage: export TF_CLI_CONFIG_FILE=$(node tools/scripts/terraform-cli-config.mjs)
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";

const PROVIDER = "registry.terraform.io/hashicorp/aws/5.100.0";
const candidates = [
  process.env.WSCF_PROVIDER_MIRROR,
  "/opt/tf-plugins",
  join(homedir(), ".terraform.d", "plugins"),
  "/usr/local/share/terraform/plugins",
  "/usr/share/terraform/plugins",
].filter(Boolean);
const mirror = candidates.find((dir) => existsSync(join(dir, PROVIDER)));

const config = mirror
  ? `provider_installation {
  filesystem_mirror {
    path    = "${mirror}"
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
`
  : `# No local provider mirror found: providers come from the registry.
provider_installation {
  direct {}
}
`;

const out = resolve(process.argv[2] ?? ".terraform-cli.tfrc");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, config);
console.log(out);
