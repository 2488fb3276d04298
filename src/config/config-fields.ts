import { z } from "zod";
import { AWS_REGIONS, REGIONS_NEWER_THAN_PROVIDER } from "../front-door/aws-regions";
import { FQDN, fqdnProblem } from "../front-door/domain-name";

// Field schemas that several parts of the configuration share (the domain, the backend, auth).

/** A lower-case fully qualified domain name (`what` names it in the message). */
export const fqdn = (what: string) => z.string().regex(FQDN, fqdnProblem(what));

/** An AWS region code. */
export const region = z.enum(AWS_REGIONS, {
  error: (issue) => {
    const newer = REGIONS_NEWER_THAN_PROVIDER[String(issue.input)];
    return newer
      ? `is ${newer}, which the pinned AWS provider (hashicorp/aws 5.100.0) does not know yet; got ${JSON.stringify(issue.input)}`
      : `must be an AWS region code such as ap-northeast-1; got ${JSON.stringify(issue.input)}`;
  },
});

/** An https URL (`example` shows one in the message). */
export const httpsUrl = (example: string) =>
  z.string().refine((value) => {
    try {
      return new URL(value).protocol === "https:";
    } catch {
      return false;
    }
  }, `must be an https URL such as ${example}`);
