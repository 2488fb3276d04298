import type { FailureEvidence } from "./evidence";

/** What the hints need to know about the run itself. */
export interface HintSetting {
  /** The region the @connections calls were signed for. */
  readonly region: string;
}

const REDIRECTS = new Set([301, 302, 307, 308]);

function signatureHint(text: string, setting: HintSetting): string | undefined {
  // API Gateway checks the credential scope's region before the signature and says so in its
  // message: "Credential should be scoped to a valid region, not '<region>'."
  // (quoted in https://zenn.dev/hiroga/articles/api-gateway-cross-account-trouble-shooting)
  if (/Credential should be scoped to a valid region/i.test(text)) {
    return `wrong signing region: the calls were signed for ${setting.region}, which is not the API's region; pass --region <the API's region> (npm run deploy saves it as "region" in cdktf-outputs.json)`;
  }
  if (/signature.*does not match|SignatureDoesNotMatch|InvalidSignature/i.test(text)) {
    return `signature mismatch (signed for ${setting.region}): if the API is in another region, pass --region <its region>; otherwise the Host header was rewritten between the client and API Gateway (forward Host on the websocket* behavior, R4), or the secret key does not belong to the access key`;
  }
  if (/Missing Authentication Token/i.test(text)) {
    return "Missing Authentication Token: the Authorization header does not reach API Gateway; forward Authorization on the websocket* behavior (R4). Also check --mapping-key: an unmapped path answers the same";
  }
  return undefined;
}

function statusHint(evidence: FailureEvidence): string | undefined {
  const { status, request } = evidence;
  if (request === "default-endpoint" && status === 101) {
    // After the setting changes, the API must be deployed again for it to take effect:
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-disable-default-endpoint.html
    return "the API's default execute-api endpoint accepts sockets, so clients can bypass CloudFront: set disable_execute_api_endpoint on the API (the stack's default) and deploy the stage again";
  }
  if (status !== undefined && REDIRECTS.has(status)) {
    return "redirected: the viewer protocol policy of the websocket* behavior is redirect-to-https, which breaks ws:// and @connections; use https-only or allow-all (R6), or call the https:// URL";
  }
  if (status === 403) {
    return "403 Forbidden: Host is not forwarded to the origin, or API Gateway has no custom domain of exactly this name with the API mapping (R3, R4)";
  }
  if (status === 410) {
    return "410 Gone: API Gateway does not know this connection id; the socket closed, or the call reached another API or stage (check --mapping-key)";
  }
  if (status === 404 && request === "page") {
    return "404 Not Found: the page is not in the site bucket, or the default behavior does not point at it (R1)";
  }
  if (status === 404) {
    return "404 Not Found: the request did not reach the WebSocket API; --mapping-key must be the API mapping key, and the CloudFront path pattern must match /<mapping key> (R1, R3)";
  }
  return undefined;
}

/**
 * The known causes of a failing check on a CloudFront + API Gateway deployment (DESIGN.md R1, R3,
 * R4, R6, R8), matched from what the step saw. Returns undefined when no known cause fits.
 */
export function hintFor(evidence: FailureEvidence, setting: HintSetting): string | undefined {
  const text = `${evidence.errorName ?? ""} ${evidence.message ?? ""}`;
  if (evidence.closeCode === 1009) {
    return "1009 Message Too Big: API Gateway takes at most 128 KB per message and 32 KB per frame; send less";
  }
  if (/CredentialsProviderError|Could not load credentials/i.test(text)) {
    return "no AWS credentials: the @connections calls are SigV4-signed with the default credential chain (set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)";
  }
  const hint = signatureHint(text, setting) ?? statusHint(evidence);
  if (hint !== undefined) return hint;
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) {
    return evidence.request === "default-endpoint"
      ? "the default endpoint's hostname does not resolve: check the API id and region in --api-default-endpoint"
      : "the hostname does not resolve: check the Route 53 alias records (R8)";
  }
  if (/ECONNREFUSED/.test(text)) {
    return "nothing listens there: is `npm run dev` (or the deployment) up, on this port?";
  }
  if (/timed out/i.test(text)) {
    return "no answer in time: is the route wired to the handler, and does the handler reach the @connections endpoint (MANAGEMENT_ENDPOINT, R10)?";
  }
  return undefined;
}
