import type { Apigatewayv2Api } from "@cdktf/provider-aws/lib/apigatewayv2-api";
import { Apigatewayv2Authorizer } from "@cdktf/provider-aws/lib/apigatewayv2-authorizer";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { Construct } from "constructs";
import { DEFAULT_CHANNELS_CLAIM } from "../../lambdas/contract/channels";
import { AUTH_SETTINGS_ENV, defaultJwksUri } from "../../lambdas/contract/auth-settings";
import { TOKEN_HEADER } from "../../lambdas/contract/auth-subprotocol";
import { ChatFunction } from "../functions/chat-function";
import type { LambdaBundle } from "../functions/lambda-bundle";

export interface ConnectAuthorizerProps {
  /** The API whose `$connect` it guards. */
  readonly api: Apigatewayv2Api;
  /** Physical name of the function (and its role and log group). */
  readonly functionName: string;
  /** The authorizer's zip (lambdas/authorizer.ts). */
  readonly bundle: LambdaBundle;
  /** The token issuer, exactly as its `iss` claim spells it. */
  readonly issuer: string;
  /** The tokens' `aud`. */
  readonly audience: string;
  /** Where the issuer publishes its keys. @default "<issuer>/.well-known/jwks.json" */
  readonly jwksUri?: string;
  /** The claim holding a token's channel patterns, passed on to the routes. @default DEFAULT_CHANNELS_CLAIM ("channels") */
  readonly channelsClaim?: string;
  /** Retention of the function's log group. */
  readonly logRetentionDays: number;
}

/**
 * The identity source: the header that carries the token beside the chat subprotocol. API
 * Gateway answers 401 itself, without invoking the function, when it is missing
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html).
 */
export const IDENTITY_SOURCE = `route.request.header.${TOKEN_HEADER}`;

/**
 * A Lambda REQUEST authorizer for `$connect`. Its function may write its own logs and
 * nothing else: it reads no table and posts to no connection. API Gateway may invoke it as an
 * authorizer of this API only. No result cache: authorizerResultTtlInSeconds is "Supported only
 * for HTTP API Lambda authorizers" (https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-authorizers.html);
 * the issuer's keys are cached in the warm function instead.
 */
export class ConnectAuthorizer extends Construct {
  readonly authorizer: Apigatewayv2Authorizer;
  readonly function: ChatFunction;

  constructor(scope: Construct, id: string, props: ConnectAuthorizerProps) {
    super(scope, id);
    this.function = new ChatFunction(this, "function", {
      functionName: props.functionName,
      bundle: props.bundle,
      environment: {
        [AUTH_SETTINGS_ENV.issuer]: props.issuer,
        [AUTH_SETTINGS_ENV.audience]: props.audience,
        [AUTH_SETTINGS_ENV.jwksUri]: props.jwksUri ?? defaultJwksUri(props.issuer),
        [AUTH_SETTINGS_ENV.channelsClaim]: props.channelsClaim ?? DEFAULT_CHANNELS_CLAIM,
      },
      statements: [],
      logRetentionDays: props.logRetentionDays,
    });
    this.authorizer = new Apigatewayv2Authorizer(this, "authorizer", {
      apiId: props.api.id,
      name: props.functionName,
      authorizerType: "REQUEST",
      authorizerUri: this.function.function.invokeArn,
      identitySources: [IDENTITY_SOURCE],
    });
    new LambdaPermission(this, "permission", {
      statementId: "AllowApiGatewayAuthorizer",
      action: "lambda:InvokeFunction",
      functionName: this.function.function.functionName,
      principal: "apigateway.amazonaws.com",
      sourceArn: `${props.api.executionArn}/authorizers/*`,
    });
  }
}
