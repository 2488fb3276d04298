import { onlyResource, policyDocuments, resourcesOf, synthStack } from "./support/synth";

const COGNITO = "https://cognito-idp.ap-northeast-1.amazonaws.com/ap-northeast-1_AbCdEf123";
const AUTH_ON = { auth: { type: "jwt", issuer: COGNITO, audience: "client123" } } as const;

/** Every action a policy document with `idPart` in its logical id allows. */
function actionsOf(tf: Record<string, any>, idPart: string): string[] {
  return Object.entries(policyDocuments(tf))
    .filter(([id]) => id.includes(idPart) && id.includes("permissions"))
    .flatMap(([, doc]) => doc.statement.flatMap((s: { actions: string[] }) => s.actions));
}

describe("the $connect authorizer", () => {
  const { tf } = synthStack(AUTH_ON);

  test("one REQUEST authorizer, identity source Sec-WebSocket-Protocol (the token travels beside the chat subprotocol), no result cache set", () => {
    const authorizer = onlyResource(tf, "aws_apigatewayv2_authorizer");
    expect(authorizer).toMatchObject({ authorizer_type: "REQUEST", identity_sources: ["route.request.header.Sec-WebSocket-Protocol"] });
    expect(authorizer.authorizer_uri).toMatch(/aws_lambda_function\.connect-authorizer_function_.*\.invoke_arn/);
    expect(authorizer).not.toHaveProperty("authorizer_result_ttl_in_seconds");
  });

  test("only $connect carries it", () => {
    const routes = resourcesOf(tf, "aws_apigatewayv2_route");
    const authorized = routes.filter((r) => r.authorization_type === "CUSTOM");
    expect(authorized.map((r) => r.route_key)).toEqual(["$connect"]);
    expect(authorized[0].authorizer_id).toMatch(/aws_apigatewayv2_authorizer\..*\.id/);
    expect(routes.filter((r) => r.route_key !== "$connect").every((r) => r.authorizer_id === undefined)).toBe(true);
  });

  test("its role may write its own logs and nothing else: no table, no @connections", () => {
    expect(actionsOf(tf, "connect-authorizer")).toEqual(["logs:CreateLogStream", "logs:PutLogEvents"]);
  });

  test("API Gateway may invoke it as an authorizer of this API only", () => {
    const permission = resourcesOf(tf, "aws_lambda_permission").find((p) => p.statement_id === "AllowApiGatewayAuthorizer");
    expect(permission).toMatchObject({ principal: "apigateway.amazonaws.com", action: "lambda:InvokeFunction" });
    expect(permission.source_arn).toMatch(/^\$\{aws_apigatewayv2_api\.websocket-api_[0-9A-F]+\.execution_arn\}\/authorizers\/\*$/);
  });

  test("it learns the issuer, audience and JWKS address from its environment", () => {
    const fn = resourcesOf(tf, "aws_lambda_function").find((f) => f.function_name === "wscf-authorizer");
    expect(fn.environment.variables).toEqual({
      AUTH_ISSUER: COGNITO,
      AUTH_AUDIENCE: "client123",
      AUTH_JWKS_URI: `${COGNITO}/.well-known/jwks.json`,
      AUTH_CHANNELS_CLAIM: "channels",
    });
  });
});

describe("the per-connection message rate", () => {
  test("every message route (sendmessage, $default and the channel actions) gets the configured rate and may UpdateItem (the token bucket) on the connections table only", () => {
    const { tf } = synthStack({ messageRate: { perSecond: 2, burst: 8 } });
    for (const name of ["wscf-sendmessage", "wscf-default", "wscf-subscribe", "wscf-unsubscribe", "wscf-publish"]) {
      const fn = resourcesOf(tf, "aws_lambda_function").find((f) => f.function_name === name);
      expect(fn.environment.variables).toMatchObject({ MESSAGE_RATE_PER_SECOND: "2", MESSAGE_RATE_BURST: "8" });
    }
    const updates = Object.entries(policyDocuments(tf)).flatMap(([id, doc]) =>
      doc.statement
        .filter((s: { actions: string[] }) => s.actions.includes("dynamodb:UpdateItem"))
        .map((s: { resources: string[] }) => ({ id, resources: s.resources })),
    );
    const table = [expect.stringMatching(/^\$\{aws_dynamodb_table\.connections_table_.*\.arn\}$/)];
    expect(updates).toEqual(
      ["default", "publish", "sendmessage", "subscribe", "unsubscribe"].map((route) => ({
        id: expect.stringContaining(`${route}-function`),
        resources: table,
      })),
    );
  });
});

describe("the WAF web ACL", () => {
  const { tf } = synthStack({ waf: { enabled: true, rateLimit: 300 } });

  test("CLOUDFRONT scope, created with the us-east-1 provider, attached to the distribution", () => {
    const acl = onlyResource(tf, "aws_wafv2_web_acl");
    expect(acl).toMatchObject({ scope: "CLOUDFRONT", provider: "aws.us_east_1", default_action: { allow: {} } });
    expect(onlyResource(tf, "aws_cloudfront_distribution").web_acl_id).toMatch(/^\$\{aws_wafv2_web_acl\.web-acl_[0-9A-F]+\.arn\}$/);
  });

  test("a rate-based rule per client IP and AWS's IP reputation group, both with the same scope-down statement", () => {
    const [rate, reputation] = onlyResource(tf, "aws_wafv2_web_acl").rule;
    expect(rate).toMatchObject({
      action: { block: {} },
      statement: { rate_based_statement: { limit: 300, aggregate_key_type: "IP", evaluation_window_sec: 300 } },
    });
    expect(reputation).toMatchObject({
      override_action: { none: {} },
      statement: { managed_rule_group_statement: { vendor_name: "AWS", name: "AWSManagedRulesAmazonIpReputationList" } },
    });
    expect(reputation.statement.managed_rule_group_statement.scope_down_statement).toEqual(rate.statement.rate_based_statement.scope_down_statement);
  });

  /** A request as WAF sees it: path, method, headers (names in lower case). */
  interface Request {
    readonly path: string;
    readonly method: string;
    readonly headers: Readonly<Record<string, string>>;
  }
  /** Evaluates the synthesized statement (not, and, byte and regex matches: what the stack uses) as WAF would, on `request`. */
  function matches(statement: any, request: Request): boolean {
    if (statement.not_statement) return !matches(statement.not_statement.statement, request);
    if (statement.and_statement) return statement.and_statement.statement.every((s: unknown) => matches(s, request));
    const match = statement.byte_match_statement ?? statement.regex_match_statement;
    expect(match.text_transformation).toEqual([{ priority: 0, type: "NONE" }]);
    const field = match.field_to_match;
    const value: string = field.uri_path ? request.path : field.method ? request.method : (request.headers[field.single_header.name] ?? "");
    if (statement.regex_match_statement) return new RegExp(match.regex_string).test(value);
    return match.positional_constraint === "EXACTLY" ? value === match.search_string : value.startsWith(match.search_string);
  }
  const SIGNED = {
    authorization: "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20261205/ap-northeast-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc",
  };

  test.each([
    ["a signed POST to @connections (a broadcast's post)", false, { path: "/websocket/@connections/abc%3D", method: "POST", headers: SIGNED }],
    ["a signed GET to @connections (status)", false, { path: "/websocket/@connections/abc%3D", method: "GET", headers: SIGNED }],
    ["a signed DELETE to @connections (disconnect)", false, { path: "/websocket/@connections/abc%3D", method: "DELETE", headers: SIGNED }],
    ["an unsigned POST to @connections", true, { path: "/websocket/@connections/abc%3D", method: "POST", headers: {} }],
    [
      "a POST to @connections with another Authorization scheme",
      true,
      { path: "/websocket/@connections/abc%3D", method: "POST", headers: { authorization: "Bearer eyJ" } },
    ],
    ["a signed PUT to @connections (no such @connections call)", true, { path: "/websocket/@connections/abc%3D", method: "PUT", headers: SIGNED }],
    ["a signed GET of the page", true, { path: "/index.html", method: "GET", headers: SIGNED }],
    ["a WebSocket handshake", true, { path: "/websocket", method: "GET", headers: { upgrade: "websocket" } }],
  ])("%s: checked by the rate rule and the reputation list = %s", (_case, inspected, request) => {
    const rate = onlyResource(tf, "aws_wafv2_web_acl").rule[0].statement.rate_based_statement;
    expect(matches(rate.scope_down_statement, request)).toBe(inspected);
  });
});

describe("auth, rate and WAF off (the default): nothing of it is synthesized", () => {
  const { tf } = synthStack();

  test("no authorizer, no authorizer function, no web ACL, the distribution without one, every route open", () => {
    expect(resourcesOf(tf, "aws_apigatewayv2_authorizer")).toEqual([]);
    expect(resourcesOf(tf, "aws_lambda_function").map((f) => f.function_name)).not.toContain("wscf-authorizer");
    expect(resourcesOf(tf, "aws_wafv2_web_acl")).toEqual([]);
    expect(onlyResource(tf, "aws_cloudfront_distribution")).not.toHaveProperty("web_acl_id");
    expect(resourcesOf(tf, "aws_apigatewayv2_route").every((r) => r.authorization_type === undefined)).toBe(true);
  });
});
