/**
 * The connection id in `<socketPath>/@connections/{id}` (either spelling of `@`: the SDK
 * percent-encodes it, API Gateway accepts both), null for a malformed one, undefined when the
 * path is not @connections.
 */
export function managementTarget(socketPath: string, rawPath: string): string | null | undefined {
  const prefix = [`${socketPath}/@connections/`, `${socketPath}/%40connections/`].find((p) => rawPath.startsWith(p));
  if (prefix === undefined) return undefined;
  const encodedId = rawPath.slice(prefix.length);
  if (encodedId === "" || encodedId.includes("/")) return null;
  try {
    return decodeURIComponent(encodedId);
  } catch {
    return null;
  }
}
