import { standingCost, usageCost } from "../tools/cost/standing-cost";
import { synthStack } from "./support/synth";

const AUTH_AND_WAF = {
  auth: { type: "jwt" as const, issuer: "https://cognito-idp.ap-northeast-1.amazonaws.com/ap-northeast-1_AbCdEf123", audience: "client123" },
  waf: { enabled: true },
};

const total = (lines: ReturnType<typeof standingCost>) => Math.round(lines.reduce((sum, line) => sum + line.monthlyUsd, 0) * 100) / 100;
const byKind = (lines: ReturnType<typeof standingCost>) => Object.fromEntries(lines.map((line) => [line.kind, line.count]));

describe("npm run cost: what the synthesized stack costs", () => {
  test("idle, the default stack costs its 22 alarms, its dashboard and its 2 KMS keys: $7.20 a month", () => {
    const lines = standingCost(synthStack().tf);
    expect(byKind(lines)).toMatchObject({ "CloudWatch alarms": 22, "CloudWatch dashboards": 1, "KMS customer managed keys": 2 });
    expect(total(lines)).toBe(7.2);
  });

  test("auth and WAF add the web ACL and its 2 rules, $7 a month; the authorizer itself costs nothing idle", () => {
    const lines = standingCost(synthStack(AUTH_AND_WAF).tf);
    expect(byKind(lines)).toMatchObject({ "WAF web ACLs": 1, "WAF rules": 2 });
    expect(total(lines)).toBe(14.2);
  });

  test("use is priced per million received messages from the sendmessage function's memory, per delivery and per connection-minute", () => {
    const costs = usageCost(synthStack().tf, 100);
    expect(costs.map((cost) => [cost.what, Math.round(cost.usd * 100) / 100])).toEqual([
      ["per million chat messages received", 2.16],
      ["per million deliveries (each recipient of each message)", 1],
      ["per million connection-minutes", 0.25],
    ]);
  });
});
