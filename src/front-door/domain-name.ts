// What AWS accepts as the front door's hostname, shared by the construct's checks and the configuration schema.

const DNS_LABEL = "(?!-)[a-z0-9-]{1,63}(?<!-)";
/** A top-level domain: letters, or an internationalized one in punycode (`xn--p1ai`). */
const TLD = "(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59}(?<!-))";
/** RFC 1035: labels of at most 63 octets, at most 253 octets in all; lower case, no trailing dot. */
export const FQDN = new RegExp(`^(?=.{1,253}$)(${DNS_LABEL}\\.)+${TLD}$`);

/**
 * ACM: "the length of the domain name (technically, the Common Name) that you provide cannot
 * exceed 64 octets (characters), including periods" (RequestCertificate, DomainName,
 * https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html).
 */
export const MAX_CERTIFICATE_DOMAIN_LENGTH = 64;

/** What a name that `FQDN` refuses must look like (`what` names it: "domain name", "zone name"). */
export function fqdnProblem(what: string): string {
  return `must be a lower-case fully qualified ${what} such as chat.example.org (no scheme, no trailing dot; IDN in punycode, xn--…)`;
}

/** The zone a name most likely lives in: the name less its first label (`chat.example.org` -> `example.org`). */
export function parentDomain(name: string): string {
  return name.split(".").slice(1).join(".");
}

/** Whether `name` is `zone` itself or a name inside it. */
export function isInZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}
