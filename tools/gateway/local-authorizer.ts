import type { IncomingHttpHeaders } from "node:http";
import type { APIGatewayRequestAuthorizerEvent } from "aws-lambda";
import { UNAUTHORIZED } from "../../lambdas/auth/authorize";
import { TOKEN_HEADER } from "../../lambdas/contract/auth-subprotocol";
import { buildContext, type ApiDescription } from "./api-gateway-event";
import type { AuthorizerFunction } from "./handlers";

/** How the authorizer decided: the context to pass on, or the status API Gateway refuses the handshake with. */
export type AuthorizerOutcome =
  | { readonly allowed: true; readonly context: Readonly<Record<string, string>> }
  | { readonly allowed: false; readonly status: 401 | 403 | 500 };

/**
 * Runs the real `$connect` authorizer as API Gateway does: no identity source (Sec-WebSocket-Protocol)
 * means 401 without invoking it; "Unauthorized" thrown means 401; a Deny policy 403; any other
 * failure 500; an Allow policy lets `$connect` run with the returned context
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html).
 */
export class LocalAuthorizer {
  constructor(
    private readonly handler: AuthorizerFunction,
    private readonly api: ApiDescription,
    private readonly region: string,
    private readonly log: (line: string) => void,
  ) {}

  async check(connectionId: string, headers: IncomingHttpHeaders): Promise<AuthorizerOutcome> {
    const protocols = headers[TOKEN_HEADER.toLowerCase()];
    if (protocols === undefined || protocols === "") return this.refuse(connectionId, 401, "no identity source");
    const methodArn = `arn:aws:execute-api:${this.region}:000000000000:${this.api.apiId}/${this.api.stage}/$connect`;
    const event = {
      type: "REQUEST",
      methodArn,
      headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(",") : (value ?? "")])),
      requestContext: { routeKey: "$connect", eventType: "CONNECT", connectionId, apiId: this.api.apiId, stage: this.api.stage },
    } as unknown as APIGatewayRequestAuthorizerEvent;
    try {
      const result = await this.handler(event, buildContext("local-authorizer", this.region, 10_000));
      const allowed = result.policyDocument.Statement.some((s) => s.Effect === "Allow");
      if (!allowed) return this.refuse(connectionId, 403, "denied");
      this.log(`AUTHORIZE  $connect      ${connectionId} -> allowed`);
      return { allowed: true, context: Object.fromEntries(Object.entries(result.context ?? {}).map(([k, v]) => [k, String(v)])) };
    } catch (error) {
      return error instanceof Error && error.message === UNAUTHORIZED
        ? this.refuse(connectionId, 401, "unauthorized")
        : this.refuse(connectionId, 500, "failed");
    }
  }

  private refuse(connectionId: string, status: 401 | 403 | 500, why: string): AuthorizerOutcome {
    this.log(`AUTHORIZE  $connect      ${connectionId} -> ${status} (${why})`);
    return { allowed: false, status };
  }
}
