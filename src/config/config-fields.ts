import { z } from "zod";
import { AWS_REGIONS } from "../front-door/aws-regions";

// Field schemas that several parts of the configuration share (the domain, the backend, auth).

const DNS_LABEL = "(?!-)[a-z0-9-]{1,63}(?<!-)";
/** A top-level domain: letters, or an internationalized one in punycode (`xn--p1ai`). */
const TLD = "(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59}(?<!-))";
/** RFC 1035: labels of at most 63 octets, at most 253 octets in all. */
const FQDN = new RegExp(`^(?=.{1,253}$)(${DNS_LABEL}\\.)+${TLD}$`);

/** A lower-case fully qualified domain name (`what` names it in the message). */
export const fqdn = (what: string) =>
  z
    .string()
    .regex(FQDN, `must be a lower-case fully qualified ${what} such as chat.example.org (no scheme, no trailing dot; IDN in punycode, xn--…)`);

/** An AWS region code. */
export const region = z.enum(AWS_REGIONS, {
  error: (issue) => `must be an AWS region code such as ap-northeast-1; got ${JSON.stringify(issue.input)}`,
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
