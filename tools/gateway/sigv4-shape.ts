import type { IncomingHttpHeaders } from "node:http";

/** Why API Gateway would refuse a request at the door, in its own words (status 403). */
export interface AuthRejection {
  /** Value of `x-amzn-errortype`, as API Gateway sends it. */
  readonly errorType: string;
  readonly message: string;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

/**
 * Checks that a request carries a SigV4 `Authorization` header for `service` (@connections:
 * `execute-api`; the Lambda Invoke API: `lambda`), signing `host`, with a request date: the SHAPE
 * only, the service's first answers. The local gateway then verifies the signature itself (sigv4-verify.ts).
 * @returns undefined when the header would pass, else the service's rejection.
 */
export function checkSigV4Shape(headers: IncomingHttpHeaders, service = "execute-api"): AuthRejection | undefined {
  const header = headers.authorization;
  if (header === undefined || header === "") {
    return { errorType: "MissingAuthenticationTokenException", message: "Missing Authentication Token" };
  }
  const match = AUTHORIZATION.exec(header);
  if (match === null) {
    return {
      errorType: "IncompleteSignatureException",
      message: `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters (AWS4-HMAC-SHA256). Authorization=${header.slice(0, 40)}`,
    };
  }
  const [, , , , signedFor, signedHeaders] = match;
  if (signedFor !== service) {
    return { errorType: "InvalidSignatureException", message: `Credential should be scoped to correct service: '${service}'. ` };
  }
  if (!signedHeaders.split(";").includes("host")) {
    return { errorType: "InvalidSignatureException", message: "'Host' must be a 'SignedHeader' in the AWS Authorization." };
  }
  if (headers["x-amz-date"] === undefined && headers.date === undefined) {
    return {
      errorType: "IncompleteSignatureException",
      message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    };
  }
  return undefined;
}
