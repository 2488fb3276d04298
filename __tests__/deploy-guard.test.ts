import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { loadConfig } from "../src/config/config-sources";
import { deployRefusal, GUARDED_COMMANDS } from "../src/config/deploy-guard";

const ROOT = resolve(__dirname, "..");
const OWN_DOMAIN = { WSCF_DOMAIN_NAME: "chat.example.org", WSCF_HOSTED_ZONE_ID: "Z0123456789ABCDEFGHIJ", WSCF_HOSTED_ZONE_NAME: "example.org" };

/** Runs `npm run <script>` at the project root with only PATH, HOME and `env`. */
function npmRun(script: string, env: Record<string, string>) {
  return spawnSync("npm", ["run", "--silent", script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, CHECKPOINT_DISABLE: "1", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("deploy refuses the example domain", () => {
  test.each(GUARDED_COMMANDS)("%s is refused for the example domain, with the reason and how to set your own", (command) => {
    const refusal = deployRefusal(loadConfig({}), command);
    expect(refusal).toMatch(new RegExp(`^Refusing to ${command}: the configuration names the built-in example domain chat\\.example\\.com`));
    expect(refusal).toContain("cp wscf.config.example.json wscf.config.json");
    expect(refusal).toContain("WSCF_DOMAIN_NAME");
  });

  test("your own domain may be deployed", () => {
    for (const command of GUARDED_COMMANDS) expect(deployRefusal(loadConfig(OWN_DOMAIN), command)).toBeUndefined();
  });

  test("the example config file in the repo is a valid configuration of an own domain", () => {
    const config = loadConfig({ WSCF_CONFIG_FILE: "wscf.config.example.json" });
    expect(config.domainName).not.toBe("chat.example.com");
    expect(deployRefusal(config, "deploy")).toBeUndefined();
  });

  test("npm run deploy exits non-zero before cdktf or Terraform runs", () => {
    const run = npmRun("deploy", {});
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("Refusing to deploy: the configuration names the built-in example domain chat.example.com");
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/Synthesizing|terraform|Initializing/i);
  });

  test("npm run destroy with an invalid configuration lists the problems and runs nothing", () => {
    const run = npmRun("destroy", { ...OWN_DOMAIN, WSCF_REGION: "tokyo" });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/^Invalid configuration: 1 problem\. Nothing was synthesized\.\n {2}- region \(from WSCF_REGION\)/);
    expect(run.stdout).not.toMatch(/Synthesizing/);
  });
});
