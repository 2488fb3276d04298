// `npm run diff|deploy|destroy` run this first. Before Terraform runs, it exits non-zero when the
// configuration is invalid, still holds a placeholder, or no AWS credentials answer; otherwise it
// prints one line: the account, the domain, the region and where the state lives.
// Usage: deploy-guard.ts <diff|deploy|destroy>
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { deployRefusal, GUARDED_COMMANDS, stateLocation, type GuardedCommand } from "../../src/config/deploy-guard";
import { loadConfigOrExit } from "../../src/config/load-config-or-exit";
import { STACK_NAME } from "../../src/app/stack-name";

const VERBS: Record<GuardedCommand, string> = { diff: "Planning", deploy: "Deploying", destroy: "Destroying" };

async function main(): Promise<number> {
  const command = process.argv[2] as GuardedCommand;
  if (!GUARDED_COMMANDS.includes(command)) {
    console.error(`usage: deploy-guard.ts <${GUARDED_COMMANDS.join("|")}>`);
    return 2;
  }
  const { config } = loadConfigOrExit(process.env);
  const refusal = deployRefusal(config, command);
  if (refusal !== undefined) {
    console.error(refusal);
    return 1;
  }
  // The same credential chain Terraform's AWS provider uses (environment, profile, SSO, instance role),
  // asked once with a short deadline, so a missing login fails here in seconds and not after init.
  const sts = new STSClient({ region: config.region, maxAttempts: 2, requestHandler: { requestTimeout: 10_000, connectionTimeout: 5_000 } });
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    const where = `${config.domainName}, region ${config.region}, ${stateLocation(config, STACK_NAME)}`;
    console.log(`${VERBS[command]} ${STACK_NAME} in AWS account ${identity.Account} as ${identity.Arn}: ${where}`);
    return 0;
  } catch (error) {
    const { name, message } = error as Error;
    const why = name === "CredentialsProviderError" ? "no AWS credentials were found" : `${name}: ${message}`;
    console.error(
      `Refusing to ${command}: AWS did not confirm who you are (${why}). Log in (aws sso login, or set AWS_PROFILE) and run it again. Nothing was run.`,
    );
    return 1;
  } finally {
    sts.destroy();
  }
}

main().then((code) => process.exit(code));
