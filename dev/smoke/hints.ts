/** What a failed step saw: any of an HTTP status, an error name/message, a WebSocket close code. */
export interface FailureEvidence {
  readonly status?: number;
  readonly errorName?: string;
  readonly message?: string;
  readonly closeCode?: number;
}

/**
 * The known causes of a failing check on a CloudFront + API Gateway deployment (DESIGN.md R3, R4,
 * R6, R8), matched from what the step saw. Returns undefined when no known cause fits.
 */
export function hintFor(evidence: FailureEvidence): string | undefined {
  const text = `${evidence.errorName ?? ""} ${evidence.message ?? ""}`;
  if (evidence.closeCode === 1009) {
    return "1009 Message Too Big: API Gateway takes at most 128 KB per message and 32 KB per frame; send less";
  }
  if (/CredentialsProviderError|Could not load credentials/i.test(text)) {
    return "no AWS credentials: the @connections calls are SigV4-signed with the default credential chain (set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)";
  }
  if (/Missing Authentication Token/i.test(text)) {
    return "Missing Authentication Token: the Authorization header does not reach API Gateway; forward Authorization on the websocket* behavior (R4). Also check --mapping-key: an unmapped path answers the same";
  }
  if (/signature.*does not match|SignatureDoesNotMatch|InvalidSignature/i.test(text)) {
    return "signature mismatch: the Host header was rewritten between the client and API Gateway; forward Host on the websocket* behavior (R4)";
  }
  if (evidence.status === 301 || evidence.status === 302 || evidence.status === 307 || evidence.status === 308) {
    return "redirected: the viewer protocol policy of the websocket* behavior is redirect-to-https, which breaks ws:// and @connections; use https-only or allow-all (R6), or call the https:// URL";
  }
  if (evidence.status === 403) {
    return "403 Forbidden: Host is not forwarded to the origin, or API Gateway has no custom domain of exactly this name with the API mapping (R3, R4)";
  }
  if (evidence.status === 410) {
    return "410 Gone: API Gateway does not know this connection id; the socket closed, or the call reached another API or stage (check --mapping-key)";
  }
  if (evidence.status === 404) {
    return "404 Not Found: the page is not in the site bucket, or the default behavior does not point at it (R1)";
  }
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) {
    return "the hostname does not resolve: check the Route 53 alias records (R8)";
  }
  if (/ECONNREFUSED/.test(text)) {
    return "nothing listens there: is `npm run dev` (or the deployment) up, on this port?";
  }
  if (/timed out/i.test(text)) {
    return "no answer in time: is the route wired to the handler, and does the handler reach the @connections endpoint (MANAGEMENT_ENDPOINT, R10)?";
  }
  return undefined;
}
