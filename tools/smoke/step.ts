import type { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import type { Request } from "./evidence";
import type { SocketProbe } from "./socket-probe";

export type StepName = "site" | "connect" | "echo" | "whoami" | "status" | "post" | "delete" | "bypass";

/** Where the checks go, fixed before the first step. */
export interface SmokeTarget {
  /** `https://<domain>` (or `http://127.0.0.1:8080`). */
  readonly origin: string;
  /** `wss://<domain>/<mappingKey>`. */
  readonly websocketUrl: string;
  /** `https://<domain>/<mappingKey>`: @connections through CloudFront (R10, R11). */
  readonly managementEndpoint: string;
}

/** What every step gets. */
export interface SmokeEnvironment {
  readonly target: SmokeTarget;
  /** SigV4-signing client for `target.managementEndpoint`. */
  readonly management: ApiGatewayManagementApiClient;
  /** Time a step may take, and each wait inside it. */
  readonly stepTimeoutMs: number;
}

/** What steps need: found by an earlier step, or known from the start (the default endpoint). */
export interface Findings {
  readonly socket: SocketProbe;
  readonly connectionId: string;
  /** The API's own `wss://<api-id>.execute-api.<region>.amazonaws.com/<stage>`. */
  readonly apiDefaultEndpoint: string;
}

/** Why a finding can be missing: the text of a skipped step. */
export const WHY_MISSING: Readonly<Record<keyof Findings, string>> = {
  socket: "no open socket (an earlier step failed)",
  connectionId: "no connection id (an earlier step failed)",
  apiDefaultEndpoint:
    "the API's default endpoint is unknown: pass --api-default-endpoint wss://<api-id>.execute-api.<region>.amazonaws.com/<stage> (npm run deploy saves it as api_default_endpoint when the stack disables that endpoint)",
};

/** What a passing step reports: what it saw, and what it found for later steps. */
export interface StepOutcome {
  readonly detail: string;
  readonly found?: Partial<Findings>;
}

/** A check as data: its name, what it needs, and the work. */
export interface SmokeStep {
  readonly name: StepName;
  /** The request a failure is about when the error does not say (it picks the hint). */
  readonly request: Request;
  /** The findings the step needs; without one it is skipped, saying why (WHY_MISSING). */
  readonly needs: readonly (keyof Findings)[];
  /** The work, bound to its findings; undefined when one it needs is missing. */
  bind(found: Partial<Findings>): ((env: SmokeEnvironment) => Promise<StepOutcome>) | undefined;
}

function hasAll<N extends keyof Findings>(found: Partial<Findings>, needs: readonly N[]): found is Partial<Findings> & Pick<Findings, N> {
  return needs.every((need) => found[need] !== undefined);
}

/** Declares a step whose `run` sees exactly the findings it names in `needs`, typed as present. */
export function defineStep<N extends keyof Findings>(spec: {
  readonly name: StepName;
  readonly request: Request;
  readonly needs: readonly N[];
  readonly run: (env: SmokeEnvironment, found: Pick<Findings, N>) => Promise<StepOutcome>;
}): SmokeStep {
  return {
    name: spec.name,
    request: spec.request,
    needs: spec.needs,
    bind: (found) => (hasAll(found, spec.needs) ? (env) => spec.run(env, found) : undefined),
  };
}
