import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { isInZone } from "../front-door/domain-name";
import { PROJECT_ROOT } from "../functions/project-root";
import { EXAMPLE_DOMAIN, type Config } from "./config";
import { localStateFile } from "./config-backend";
import { DEFAULT_CONFIG_FILE } from "./config-sources";

/** The commands that touch real state; `synth` is not one of them. */
export const GUARDED_COMMANDS = ["diff", "deploy", "destroy"] as const;
export type GuardedCommand = (typeof GUARDED_COMMANDS)[number];

/** The file a user copies to start: every value in it that names someone else's resource is a placeholder. */
export const EXAMPLE_CONFIG_FILE = "wscf.config.example.json";

/**
 * Names reserved for documentation by RFC 2606 (https://www.rfc-editor.org/rfc/rfc2606): the
 * second-level domains example.com, .net and .org (section 3) and the top-level domains .test,
 * .example, .invalid and .localhost (section 2). No certificate can be validated for them.
 */
const RFC2606_DOMAINS = ["example.com", "example.net", "example.org"];
const RFC2606_TLDS = ["test", "example", "invalid", "localhost"];

/** Whether `domain` is, or lies inside, a name that RFC 2606 reserves. */
export function isReservedExampleDomain(domain: string): boolean {
  return RFC2606_DOMAINS.some((reserved) => isInZone(domain, reserved)) || RFC2606_TLDS.includes(domain.split(".").pop() ?? "");
}

interface ExamplePlaceholders {
  readonly hostedZoneId?: string;
  readonly bucket?: string;
}

/** The example file's zone id and state bucket: values that belong to nobody who copies the file. */
function examplePlaceholders(): ExamplePlaceholders {
  const example = JSON.parse(readFileSync(resolve(PROJECT_ROOT, EXAMPLE_CONFIG_FILE), "utf8")) as { hostedZoneId?: string; backend?: { bucket?: string } };
  return { hostedZoneId: example.hostedZoneId, bucket: example.backend?.bucket };
}

/**
 * Why `command` must not run with this configuration, or undefined when it may. The built-in and
 * the example file's values synthesize and plan offline, but planning or applying them against a
 * real account would mean a forgotten setting (and, for the state bucket, someone else's bucket).
 */
export function deployRefusal(config: Config, command: GuardedCommand): string | undefined {
  const placeholders = examplePlaceholders();
  const problems: string[] = [];
  if (config.domainName === EXAMPLE_DOMAIN.domainName) {
    problems.push(`domainName is the built-in example domain ${EXAMPLE_DOMAIN.domainName}, which nobody can deploy`);
  } else if (isReservedExampleDomain(config.domainName)) {
    problems.push(`domainName ${config.domainName} is reserved for documentation (RFC 2606): no certificate can be issued for it`);
  }
  if (config.hostedZoneId === placeholders.hostedZoneId || config.hostedZoneId === EXAMPLE_DOMAIN.hostedZoneId) {
    problems.push(`hostedZoneId ${config.hostedZoneId} is the example's placeholder: set the id of your Route 53 hosted zone`);
  }
  if (config.backend.type === "s3" && config.backend.bucket === placeholders.bucket) {
    problems.push(`backend.bucket ${config.backend.bucket} is the example's placeholder (a global name someone else may own): set your own state bucket`);
  }
  if (problems.length === 0) return undefined;
  return [
    `Refusing to ${command}: ${problems.join("; ")}.`,
    `Set your own values: cp ${EXAMPLE_CONFIG_FILE} ${DEFAULT_CONFIG_FILE}, then edit domainName, hostedZoneId, hostedZoneName and backend`,
    "(or set WSCF_DOMAIN_NAME, WSCF_HOSTED_ZONE_ID, WSCF_HOSTED_ZONE_NAME and WSCF_BACKEND_*). Nothing was run.",
  ].join("\n");
}

/** Where Terraform keeps this deployment's state, in one phrase. */
export function stateLocation(config: Config, stackName: string): string {
  const { backend } = config;
  switch (backend.type) {
    case "local":
      return `local state ${resolve(PROJECT_ROOT, localStateFile(backend, stackName))}`;
    case "s3":
      return `state s3://${backend.bucket}/${backend.key} (${backend.region ?? config.region}, locked)`;
    case "cloud":
      return `state in Terraform Cloud ${backend.hostname}, ${backend.organization}/${backend.workspace}`;
  }
}
