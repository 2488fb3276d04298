import { tmpdir } from "node:os";
import { loadConfig } from "../src/config/config-sources";
import { problemsOf } from "./support/config-fixtures";

const COGNITO = "https://cognito-idp.ap-northeast-1.amazonaws.com/ap-northeast-1_AbCdEf123";

describe("configuration of who may connect (auth, message rate, WAF)", () => {
  test("defaults: anyone may connect, 5 messages a second with a burst of 20, no WAF", () => {
    const config = loadConfig({}, tmpdir());
    expect(config.auth).toEqual({ type: "none" });
    expect(config.messageRate).toEqual({ perSecond: 5, burst: 20, maxRefusals: 50 });
    expect(config.waf).toEqual({ enabled: false, rateLimit: 1000 });
  });

  test("WSCF_AUTH=jwt with an issuer and audience turns the authorizer on; the rest from the environment too", () => {
    const config = loadConfig(
      {
        WSCF_AUTH: "jwt",
        WSCF_AUTH_ISSUER: COGNITO,
        WSCF_AUTH_AUDIENCE: "client123",
        WSCF_MESSAGE_RATE_PER_SECOND: "2",
        WSCF_MESSAGE_RATE_BURST: "4",
        WSCF_MESSAGE_RATE_MAX_REFUSALS: "9",
        WSCF_WAF_ENABLED: "true",
        WSCF_WAF_RATE_LIMIT: "500",
      },
      tmpdir(),
    );
    expect(config.auth).toEqual({ type: "jwt", issuer: COGNITO, audience: "client123", channelsClaim: "channels" });
    expect(config.messageRate).toEqual({ perSecond: 2, burst: 4, maxRefusals: 9 });
    expect(config.waf).toEqual({ enabled: true, rateLimit: 500 });
  });

  test.each([
    [
      "an http issuer",
      { WSCF_AUTH: "jwt", WSCF_AUTH_ISSUER: "http://issuer.example.org", WSCF_AUTH_AUDIENCE: "a" },
      /^auth\.issuer \(from WSCF_AUTH_ISSUER\) must be an https URL such as https:\/\/cognito-idp\./,
    ],
    ["jwt without an audience", { WSCF_AUTH: "jwt", WSCF_AUTH_ISSUER: COGNITO }, /^auth\.audience/],
    [
      "an issuer without WSCF_AUTH=jwt",
      { WSCF_AUTH_ISSUER: COGNITO },
      /^auth\.type must have "type": "none" or "jwt" \(WSCF_AUTH=jwt with WSCF_AUTH_ISSUER and WSCF_AUTH_AUDIENCE\)/,
    ],
    ["an unknown auth type", { WSCF_AUTH: "basic" }, /^auth\.type \(from WSCF_AUTH\) must have "type": "none" or "jwt"/],
    [
      "a WAF rate limit below AWS's minimum",
      { WSCF_WAF_ENABLED: "true", WSCF_WAF_RATE_LIMIT: "5" },
      /^waf\.rateLimit \(from WSCF_WAF_RATE_LIMIT\) must be at least 10 \(AWS WAF's lowest rate limit\); got 5$/,
    ],
    ["a burst of zero", { WSCF_MESSAGE_RATE_BURST: "0" }, /^messageRate\.burst \(from WSCF_MESSAGE_RATE_BURST\) /],
    ["a rate of zero", { WSCF_MESSAGE_RATE_PER_SECOND: "0" }, /^messageRate\.perSecond \(from WSCF_MESSAGE_RATE_PER_SECOND\) /],
    ["no refusal allowed before closing", { WSCF_MESSAGE_RATE_MAX_REFUSALS: "0" }, /^messageRate\.maxRefusals \(from WSCF_MESSAGE_RATE_MAX_REFUSALS\) /],
  ])("%s is named with its field and variable", (_what, env, expected) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });
});
