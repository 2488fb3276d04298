/**
 * CloudFront path-pattern matching, as CloudFront documents it: case-sensitive, `*` matches zero
 * or more characters, `?` exactly one, and a pattern without a leading `/` is read as if it had one.
 * Used to reject at synth a pattern that can never route the socket to the API.
 */
export function pathPatternMatches(pattern: string, path: string): boolean {
  const anchored = pattern.startsWith("/") ? pattern : `/${pattern}`;
  const source = anchored
    .split("")
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[\\^$.|+()[\]{}]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`).test(path);
}
