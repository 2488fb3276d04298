import { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import { CONFIG_DEFAULTS } from "../../src/config/config-defaults";
import { evidenceOf, type FailureEvidence } from "./evidence";
import { hintFor } from "./hints";
import { WHY_MISSING, type Findings, type SmokeEnvironment, type SmokeStep, type SmokeTarget, type StepName } from "./step";
import { SMOKE_STEPS } from "./steps";
import { checkTimerMs, withTimeout } from "./timeout";

export type { StepName } from "./step";

export interface SmokeOptions {
  /** The deployment's base URL: `https://<domain>` (or `http://127.0.0.1:8080` for `npm run dev`). */
  readonly url: string;
  /** API mapping key: the path of the socket and of @connections (R3). @default the configuration's default mapping key */
  readonly mappingKey?: string;
  /** Region the @connections calls are signed for: the API's region (see settings.ts for where it comes from). */
  readonly region: string;
  /**
   * The API's default endpoint, `wss://<api-id>.execute-api.<region>.amazonaws.com/<stage>`, which
   * must refuse sockets. @default unknown: that check is skipped, saying why
   */
  readonly apiDefaultEndpoint?: string;
  /** Credentials for the @connections calls. @default the SDK's default credential chain */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  /** Time each step may take, at most MAX_TIMER_MS. @default 10000 ms */
  readonly stepTimeoutMs?: number;
  /** Called as each step ends, for live output. */
  readonly onStep?: (step: StepResult) => void;
}

export interface StepResult {
  readonly name: StepName;
  readonly outcome: "pass" | "fail" | "skip";
  /** Wall time of the step. */
  readonly ms: number;
  /** What was checked or seen; for a skipped step, why it was skipped. */
  readonly detail: string;
  /** HTTP status of the failing call, when there was one. */
  readonly status?: number;
  /** Known cause of the failure (see hints.ts). */
  readonly hint?: string;
}

export interface SmokeResult {
  /** No step failed (a step skipped for want of a setting does not count against it). */
  readonly ok: boolean;
  readonly url: string;
  readonly websocketUrl: string;
  readonly managementEndpoint: string;
  readonly connectionId?: string;
  readonly steps: StepResult[];
}

/** Where the checks go: `<origin>/index.html`, `ws(s)://<host>/<mappingKey>`, `<origin>/<mappingKey>`. */
export function smokeTarget(url: string, mappingKey: string): SmokeTarget {
  const base = new URL(url);
  if (base.protocol !== "https:" && base.protocol !== "http:") {
    throw new Error(`--url must be http:// or https://, got ${url}`);
  }
  return {
    origin: base.origin,
    websocketUrl: `${base.protocol === "https:" ? "wss:" : "ws:"}//${base.host}/${mappingKey}`,
    managementEndpoint: `${base.origin}/${mappingKey}`,
  };
}

function describeFailure(evidence: FailureEvidence): string {
  const status = evidence.status !== undefined ? `HTTP ${evidence.status}: ` : "";
  const name = evidence.errorName && !["Error", "StepFailure"].includes(evidence.errorName) ? `${evidence.errorName}: ` : "";
  return `${status}${name}${evidence.message ?? "failed"}`;
}

/** Runs one step: skipped (saying which finding is missing), passed with what it found, or failed with a hint. */
async function runStep(
  step: SmokeStep,
  env: SmokeEnvironment,
  found: Partial<Findings>,
  region: string,
): Promise<{ result: StepResult; found?: Partial<Findings> }> {
  const started = Date.now();
  const work = step.bind(found);
  if (work === undefined) {
    const missing = step.needs.filter((need) => found[need] === undefined).map((need) => WHY_MISSING[need]);
    return { result: { name: step.name, outcome: "skip", ms: 0, detail: `skipped: ${missing.join("; ")}` } };
  }
  try {
    const outcome = await withTimeout(work(env), env.stepTimeoutMs, step.name);
    return { result: { name: step.name, outcome: "pass", ms: Date.now() - started, detail: outcome.detail }, found: outcome.found };
  } catch (error) {
    const seen = evidenceOf(error, step.request);
    // A socket that closed explains later failures (1009: the message was too big).
    const evidence = seen.closeCode === undefined && found.socket?.closedWith !== undefined ? { ...seen, closeCode: found.socket.closedWith } : seen;
    const hint = hintFor(evidence, { region });
    return {
      result: {
        name: step.name,
        outcome: "fail",
        ms: Date.now() - started,
        detail: describeFailure(evidence),
        ...(evidence.status !== undefined ? { status: evidence.status } : {}),
        ...(hint !== undefined ? { hint } : {}),
      },
    };
  }
}

/**
 * The source document's post-deploy checks (R11, R12), in order: the page, the socket, a
 * broadcast echo, the caller's connection id via `$default`, then @connections GET, POST and
 * DELETE with the real SDK client (SigV4) at `<url>/<mappingKey>`; then that the API's default
 * endpoint refuses sockets. A step without what it needs is skipped, saying why.
 */
export async function runSmoke(options: SmokeOptions): Promise<SmokeResult> {
  const stepTimeoutMs = options.stepTimeoutMs ?? 10_000;
  checkTimerMs(stepTimeoutMs, "stepTimeoutMs");
  const target = smokeTarget(options.url, options.mappingKey ?? CONFIG_DEFAULTS.mappingKey);
  const management = new ApiGatewayManagementApiClient({
    endpoint: target.managementEndpoint,
    region: options.region,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: 1,
  });
  const env: SmokeEnvironment = { target, management, stepTimeoutMs };
  let found: Partial<Findings> = options.apiDefaultEndpoint === undefined ? {} : { apiDefaultEndpoint: options.apiDefaultEndpoint };
  const steps: StepResult[] = [];
  try {
    for (const step of SMOKE_STEPS) {
      const ran = await runStep(step, env, found, options.region);
      found = { ...found, ...ran.found };
      steps.push(ran.result);
      options.onStep?.(ran.result);
    }
  } finally {
    found.socket?.terminate();
    management.destroy();
  }
  return {
    ok: steps.every((s) => s.outcome !== "fail"),
    url: target.origin,
    websocketUrl: target.websocketUrl,
    managementEndpoint: target.managementEndpoint,
    ...(found.connectionId ? { connectionId: found.connectionId } : {}),
    steps,
  };
}
