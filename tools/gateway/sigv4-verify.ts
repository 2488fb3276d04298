import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { SignatureV4 } from "@smithy/signature-v4";
import { checkSigV4Shape, type AuthRejection } from "./sigv4-shape";

/** The SigV4 service name of API Gateway's execute-api endpoints, @connections included. */
const EXECUTE_API_SERVICE = "execute-api";

/** The key pair and scope a request must be signed for. */
export interface SigningScope {
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly region: string;
  /** The SigV4 service name. @default "execute-api" (@connections) */
  readonly service?: string;
}

/** One request as it arrived: what SigV4 covers. */
export interface ReceivedRequest {
  readonly method: string;
  /** The request target as sent, path and query, e.g. `/websocket/%40connections/abc%3D`. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

type SourceData = string | ArrayBuffer | ArrayBufferView;

/** SHA-256 (HMAC when keyed) in the shape the SDK's signer takes (its `Checksum`). */
export class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", toBuffer(secret));
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
  reset(): void {
    throw new Error("not used by the signer");
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  return ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
}

// API Gateway's answers, as AWS documents them:
// https://repost.aws/knowledge-center/api-gateway-iam-sigv4-mismatch (unknown key, wrong secret) and
// https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html (scope, date).
const MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
const invalidSignature = (message: string): AuthRejection => ({ errorType: "InvalidSignatureException", message });

/** A signed request must reach AWS within 5 minutes of its X-Amz-Date, either way (the IAM page above). */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

const amzDate = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

/**
 * Verifies a request's SigV4 signature as API Gateway does for @connections (and Lambda for Invoke):
 * the header's shape (see checkSigV4Shape), then the key, the scope (date, region, the scope's service), the
 * clock, and the signature itself, recomputed by the SDK's own signer over the headers the
 * client signed, Host included, so a rewritten Host fails as it does on AWS.
 * @returns undefined when the request is authentic, else API Gateway's rejection (status 403).
 */
export async function verifySigV4(request: ReceivedRequest, scope: SigningScope, now = new Date()): Promise<AuthRejection | undefined> {
  const service = scope.service ?? EXECUTE_API_SERVICE;
  const shape = checkSigV4Shape(request.headers, service);
  if (shape !== undefined) return shape;
  const authorization = request.headers.authorization as string;
  const [, accessKeyId, day, region, , signedHeaderList, signature] =
    /Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})/.exec(authorization) ?? [];
  if (accessKeyId !== scope.credentials.accessKeyId) {
    return { errorType: "UnrecognizedClientException", message: "The security token included in the request is invalid." };
  }
  if (region !== scope.region) return invalidSignature(`Credential should be scoped to a valid Region, not ${region}. `);
  const dateHeader = request.headers["x-amz-date"];
  const signingDate = typeof dateHeader === "string" ? parseAmzDate(dateHeader) : undefined;
  if (signingDate === undefined) return invalidSignature(MISMATCH);
  if (dateHeader!.slice(0, 8) !== day) {
    return invalidSignature(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${day}' != '${dateHeader!.slice(0, 8)}', from '${dateHeader}'.`,
    );
  }
  if (signingDate.getTime() < now.getTime() - CLOCK_SKEW_MS) {
    return invalidSignature(
      `Signature expired: ${dateHeader} is now earlier than ${amzDate(new Date(now.getTime() - CLOCK_SKEW_MS))} (${amzDate(now)} - 5 min.)`,
    );
  }
  if (signingDate.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    return invalidSignature(
      `Signature not yet current: ${dateHeader} is still later than ${amzDate(new Date(now.getTime() + CLOCK_SKEW_MS))} (${amzDate(now)} + 5 min.)`,
    );
  }

  const signedNames = signedHeaderList.split(";");
  const headers: Record<string, string> = {};
  for (const name of signedNames) {
    const value = request.headers[name];
    if (value === undefined) return invalidSignature(MISMATCH);
    headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  // The signer trusts a given payload hash; API Gateway hashes the body it received.
  const bodyHash = createHash("sha256").update(request.body).digest("hex");
  if (headers["x-amz-content-sha256"] !== undefined && headers["x-amz-content-sha256"] !== bodyHash) return invalidSignature(MISMATCH);

  const target = new URL(request.url, "http://local");
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(target.searchParams.keys())) {
    const values = target.searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0] : values;
  }
  const signer = new SignatureV4({
    credentials: scope.credentials,
    region: scope.region,
    service,
    sha256: NodeSha256,
    // Keep exactly the client's headers: the signer must not add a payload-hash header of its own.
    applyChecksum: false,
  });
  const expected = await signer.sign(
    { method: request.method, protocol: "http:", hostname: headers.host ?? "", path: request.url.split("?")[0], query, headers, body: request.body },
    { signingDate },
  );
  const expectedSignature = /Signature=([0-9a-f]{64})/.exec(String(expected.headers.authorization))?.[1] ?? "";
  const matches = expectedSignature.length === signature.length && timingSafeEqual(Buffer.from(expectedSignature), Buffer.from(signature));
  return matches ? undefined : invalidSignature(MISMATCH);
}
