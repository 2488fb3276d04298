/** Which request of a step failed: the hints differ (a 404 on the page is not a 404 on the socket). */
export type Request = "page" | "handshake" | "socket" | "connections" | "default-endpoint";

/** What a failed step saw: any of an HTTP status, an error name/message, a WebSocket close code. */
export interface FailureEvidence {
  readonly request?: Request;
  readonly status?: number;
  readonly errorName?: string;
  readonly message?: string;
  readonly closeCode?: number;
}

/** A step's failure with the evidence for its hint. */
export class StepFailure extends Error {
  constructor(
    message: string,
    readonly evidence: FailureEvidence = {},
  ) {
    super(message);
    this.name = "StepFailure";
  }
}

/** The fields of an SDK v3 or Node network error that say what happened. */
interface ErrorLike {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly cause?: { readonly code?: string };
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** Turns a StepFailure, an SDK error or a network error into evidence; `request` is used when the error does not say. */
export function evidenceOf(error: unknown, request?: Request): FailureEvidence {
  if (error instanceof StepFailure) {
    return { request, ...error.evidence, message: error.evidence.message ?? error.message };
  }
  if (typeof error !== "object" || error === null) return { request, message: String(error) };
  const e = error as ErrorLike;
  const code = e.code ?? e.cause?.code;
  return {
    request,
    status: e.$metadata?.httpStatusCode,
    errorName: e.name,
    message: [e.message, code].filter(Boolean).join(" "),
  };
}
