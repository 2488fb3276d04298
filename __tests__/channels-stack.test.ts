import { Apigatewayv2Route } from "@cdktf/provider-aws/lib/apigatewayv2-route";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { resourcesOf, synthStack } from "./support/synth";

describe("Channels in the stack: the members table, the routes, each function's settings", () => {
  const { json, tf } = synthStack();

  test("the channel members table: keyed by channel (a publish Queries one channel), bucketed member sort key, TTL, encrypted, PITR", () => {
    expect(json).toHaveResourceWithProperties(DynamodbTable, {
      name: "wscf-channel-members",
      billing_mode: "PAY_PER_REQUEST",
      hash_key: "channel",
      range_key: "member",
      attribute: [
        { name: "channel", type: "S" },
        { name: "member", type: "S" },
      ],
      ttl: { attribute_name: "expiresAt", enabled: true },
      server_side_encryption: { enabled: true },
      point_in_time_recovery: { enabled: true },
    });
  });

  test.each(["subscribe", "unsubscribe", "publish"])("the %s route goes to its own function", (routeKey) => {
    expect(json).toHaveResourceWithProperties(Apigatewayv2Route, { route_key: routeKey, target: expect.stringMatching(/^integrations\//) });
    expect(json).toHaveResourceWithProperties(LambdaFunction, { function_name: `wscf-${routeKey}` });
  });

  test("the channel functions and $disconnect know the members table; with auth off every channel is open; publish gets sendmessage's 29 s and fan-out queue", () => {
    const fn = (name: string) => resourcesOf(tf, "aws_lambda_function").find((f) => f.function_name === `wscf-${name}`);
    for (const name of ["subscribe", "unsubscribe", "publish"]) {
      expect(fn(name).environment.variables).toMatchObject({ MEMBERS_TABLE: expect.stringContaining("aws_dynamodb_table.members"), CHANNEL_ACCESS: "open" });
    }
    expect(fn("disconnect").environment.variables).toMatchObject({ MEMBERS_TABLE: expect.stringContaining("aws_dynamodb_table.members") });
    expect(fn("publish")).toMatchObject({ timeout: 29, environment: { variables: { FANOUT_QUEUE_URL: expect.any(String) } } });
  });

  test("with auth on, a token's channels claim limits the channels (CHANNEL_ACCESS claims), and the authorizer is told which claim", () => {
    const issuer = "https://cognito-idp.ap-northeast-1.amazonaws.com/ap-northeast-1_AbCdEf123";
    const { tf: withAuth } = synthStack({ auth: { type: "jwt", issuer, audience: "client123" } });
    const fn = (name: string) => resourcesOf(withAuth, "aws_lambda_function").find((f) => f.function_name === `wscf-${name}`);
    for (const name of ["subscribe", "unsubscribe", "publish"]) expect(fn(name).environment.variables.CHANNEL_ACCESS).toBe("claims");
    expect(fn("authorizer").environment.variables).toMatchObject({ AUTH_CHANNELS_CLAIM: "channels" });
  });
});
