import "cdktf/lib/testing/adapters/jest";
import { onlyResource, resourcesOf, synthStack } from "./support/synth";

const CUSTOM = { domainName: "chat.example.org", hostedZoneName: "example.org", hostedZoneId: "Z0123456789ABCDEFGHIJ" };

describe("account-wide API Gateway setting and the stage's logs, owned explicitly", () => {
  describe("apiGatewayLogsRole: create (the default)", () => {
    const { tf } = synthStack(CUSTOM);
    const account = onlyResource(tf, "aws_api_gateway_account");
    const stage = onlyResource(tf, "aws_apigatewayv2_stage");

    test("sets the region's CloudWatch role to a role made for it, with AWS's push-to-logs policy", () => {
      expect(account.cloudwatch_role_arn).toMatch(/^\$\{aws_iam_role\.api-gateway-logging_role_\w+\.arn\}$/);
      const attachment = onlyResource(tf, "aws_iam_role_policy_attachment");
      expect(attachment.policy_arn).toBe("arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs");
      expect(resourcesOf(tf, "aws_iam_role").map((r) => r.name)).toContain("wscf-apigw-logs");
    });
    test("the setting waits for the role's policy attachment, and the stage waits for the setting", () => {
      expect(account.depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy_attachment\./)]);
      expect(stage.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_api_gateway_account\./)]));
    });
    test("destroy resets the setting instead of leaving it pointing at the destroyed role", () => {
      expect(account.reset_on_delete).toBe(true);
    });
  });

  describe("apiGatewayLogsRole: existing", () => {
    const { tf } = synthStack({ ...CUSTOM, apiGatewayLogsRole: "existing" });
    test("touches no account-wide setting and creates no logging role", () => {
      expect(resourcesOf(tf, "aws_api_gateway_account")).toHaveLength(0);
      expect(resourcesOf(tf, "aws_iam_role_policy_attachment")).toHaveLength(0);
      expect(onlyResource(tf, "aws_apigatewayv2_stage").depends_on).toEqual([expect.stringMatching(/^aws_cloudwatch_log_group\.websocket-api_execution-logs/)]);
    });
  });

  describe("the stage's execution log group", () => {
    const { tf } = synthStack({ ...CUSTOM, stageName: "Live", logRetentionDays: 90 });
    const group = resourcesOf(tf, "aws_cloudwatch_log_group").find((g) => String(g.name).startsWith("API-Gateway-Execution-Logs_"));
    test("is created by the stack under the name API Gateway writes to, API-Gateway-Execution-Logs_{api-id}/{stage}, with the retention", () => {
      expect(group).toMatchObject({
        name: expect.stringMatching(/^API-Gateway-Execution-Logs_\$\{aws_apigatewayv2_api\.\S+\.id\}\/Live$/),
        retention_in_days: 90,
      });
    });
    test("exists before the stage starts logging into it", () => {
      const stage = onlyResource(tf, "aws_apigatewayv2_stage");
      expect(stage.default_route_settings.logging_level).toBe("ERROR");
      expect(stage.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_cloudwatch_log_group\.websocket-api_execution-logs/)]));
    });
  });
});
