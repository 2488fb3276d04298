// `npm run diff|deploy|destroy` run this first: it exits non-zero, before Terraform runs, when the
// configuration is invalid or still names the example domain. Usage: deploy-guard.ts <command>
import { deployRefusal, GUARDED_COMMANDS, type GuardedCommand } from "../../src/config/deploy-guard";
import { loadConfigOrExit } from "../../src/config/load-config-or-exit";

const command = process.argv[2] as GuardedCommand;
if (!GUARDED_COMMANDS.includes(command)) {
  console.error(`usage: deploy-guard.ts <${GUARDED_COMMANDS.join("|")}>`);
  process.exit(2);
}
const refusal = deployRefusal(loadConfigOrExit(process.env).config, command);
if (refusal !== undefined) {
  console.error(refusal);
  process.exit(1);
}
