import "cdktf/lib/testing/adapters/jest";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Apigatewayv2Api } from "@cdktf/provider-aws/lib/apigatewayv2-api";
import { Apigatewayv2ApiMapping } from "@cdktf/provider-aws/lib/apigatewayv2-api-mapping";
import { Apigatewayv2DomainName } from "@cdktf/provider-aws/lib/apigatewayv2-domain-name";
import { Apigatewayv2Route } from "@cdktf/provider-aws/lib/apigatewayv2-route";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { onlyResource, resourcesOf, synthStack } from "./support/synth";

const DOMAIN = "chat.example.org";
const CUSTOM = { domainName: DOMAIN, hostedZoneName: "example.org", hostedZoneId: "Z0123456789ABCDEFGHIJ" };

describe("ChatStack requirements (DESIGN.md R1-R8, R10)", () => {
  const { json, tf } = synthStack(CUSTOM);
  const distribution = onlyResource(tf, "aws_cloudfront_distribution");
  const wsBehavior = distribution.ordered_cache_behavior[0];
  const apiOrigin = distribution.origin.find((o: { origin_id: string }) => o.origin_id === wsBehavior.target_origin_id);
  const siteOrigin = distribution.origin.find((o: { origin_id: string }) => o.origin_id === distribution.default_cache_behavior.target_origin_id);

  describe("R1 one hostname serves the site and the socket", () => {
    test("R1 the distribution's only alias is the configured domain", () => {
      expect(distribution.aliases).toEqual([DOMAIN]);
    });
    test("R1 the default behavior goes to the S3 bucket", () => {
      expect(siteOrigin.domain_name).toMatch(/^\$\{aws_s3_bucket\.site_bucket_\w+\.bucket_regional_domain_name\}$/);
    });
    test("R1 exactly one ordered behavior, pattern websocket*, goes to the API origin", () => {
      expect(distribution.ordered_cache_behavior).toHaveLength(1);
      expect(wsBehavior.path_pattern).toBe("websocket*");
      expect(apiOrigin).toBeDefined();
    });
    test("R1 the path pattern follows the configuration", () => {
      const custom = synthStack({ ...CUSTOM, mappingKey: "ws", pathPattern: "/ws*" });
      expect(onlyResource(custom.tf, "aws_cloudfront_distribution").ordered_cache_behavior[0].path_pattern).toBe("/ws*");
    });
    test("R1 every file of the site folder is uploaded with a content type and an MD5 etag", () => {
      const index = resourcesOf(tf, "aws_s3_object").find((o) => o.key === "index.html");
      expect(index).toMatchObject({ content_type: "text/html; charset=utf-8" });
      expect(index.etag).toMatch(/^[0-9a-f]{32}$/);
    });
  });

  describe("R2 the API origin: the custom domain's regional target (AWS's documented origin), HTTPS only", () => {
    test("R2 by default the origin is the custom domain's target d-….execute-api.<region>.amazonaws.com, no origin path", () => {
      expect(apiOrigin.domain_name).toMatch(/^\$\{aws_apigatewayv2_domain_name\.\S+\.domain_name_configuration\[0\]\.target_domain_name\}$/);
      expect(apiOrigin.origin_path ?? "").toBe("");
    });
    test("R2 fronting the custom domain, the API's default execute-api endpoint is disabled (nobody bypasses CloudFront)", () => {
      expect(json).toHaveResourceWithProperties(Apigatewayv2Api, { disable_execute_api_endpoint: true });
      expect(tf.output.api_default_endpoint.value).toMatch(/^wss:\/\/\$\{aws_apigatewayv2_api\.\S+\.id\}\.execute-api\.ap-northeast-1\.amazonaws\.com\/Prod$/);
    });
    test("R2 origin protocol policy is https-only with TLSv1.2", () => {
      expect(apiOrigin.custom_origin_config).toMatchObject({ origin_protocol_policy: "https-only", origin_ssl_protocols: ["TLSv1.2"] });
    });
    describe("R2 the source document's origin, one switch away (apiOrigin: execute-api)", () => {
      const seed = synthStack({ ...CUSTOM, apiOrigin: "execute-api", region: "us-west-2" });
      const seedDistribution = onlyResource(seed.tf, "aws_cloudfront_distribution");
      const seedOrigin = seedDistribution.origin.find(
        (o: { origin_id: string }) => o.origin_id === seedDistribution.ordered_cache_behavior[0].target_origin_id,
      );
      test("R2 the origin is the API's own <api-id>.execute-api.<region>.amazonaws.com: its endpoint URL without wss://", () => {
        expect(seedOrigin.domain_name).toMatch(/^\$\{trimprefix\(aws_apigatewayv2_api\.\S+\.api_endpoint, "wss:\/\/"\)\}$/);
        expect(seedOrigin.custom_origin_config).toMatchObject({ origin_protocol_policy: "https-only" });
      });
      test("R2 the default endpoint stays on (CloudFront reaches the API through it) and is not advertised as disabled", () => {
        expect(onlyResource(seed.tf, "aws_apigatewayv2_api").disable_execute_api_endpoint).toBe(false);
        expect(seed.tf.output.api_default_endpoint).toBeUndefined();
      });
      test("R2 Host, the custom domain and its mapping are unchanged (R3, R4)", () => {
        expect(seedDistribution.ordered_cache_behavior[0].forwarded_values.headers).toEqual(wsBehavior.forwarded_values.headers);
        expect(onlyResource(seed.tf, "aws_apigatewayv2_domain_name").domain_name).toBe(DOMAIN);
        expect(onlyResource(seed.tf, "aws_apigatewayv2_api_mapping").api_mapping_key).toBe("websocket");
      });
    });
  });

  describe("R3 API Gateway custom domain with the CloudFront alias's name", () => {
    test("R3 a REGIONAL custom domain named exactly like the alias, TLS 1.2", () => {
      expect(json).toHaveResourceWithProperties(Apigatewayv2DomainName, {
        domain_name: DOMAIN,
        domain_name_configuration: expect.objectContaining({ endpoint_type: "REGIONAL", security_policy: "TLS_1_2" }),
      });
    });
    test("R3 API mapping key equals the CloudFront path, onto stage Prod", () => {
      const mapping = onlyResource(tf, "aws_apigatewayv2_api_mapping");
      expect(mapping.api_mapping_key).toBe("websocket");
      expect(json).toHaveResourceWithProperties(Apigatewayv2ApiMapping, { api_mapping_key: "websocket" });
      expect(onlyResource(tf, "aws_apigatewayv2_stage").name).toBe("Prod");
      expect(mapping.stage).toMatch(/^\$\{aws_apigatewayv2_stage\.\S+\.name\}$/);
    });
    test("R3 the distribution is created after the mapping, so the origin answers for the alias", () => {
      expect(distribution.depends_on).toEqual([expect.stringMatching(/^aws_apigatewayv2_api_mapping\./)]);
    });
  });

  describe("R4 headers forwarded to the WebSocket origin", () => {
    const headers: string[] = wsBehavior.forwarded_values.headers;
    test("R4 forwards Host and Authorization (SigV4 @connections through CloudFront)", () => {
      expect(headers).toEqual(expect.arrayContaining(["Host", "Authorization"]));
    });
    test("R4 forwards the temporary-credential signing headers and the WebSocket handshake headers", () => {
      expect(headers).toEqual(
        expect.arrayContaining([
          "X-Amz-Date",
          "X-Amz-Security-Token",
          "Sec-WebSocket-Key",
          "Sec-WebSocket-Version",
          "Sec-WebSocket-Protocol",
          "Sec-WebSocket-Extensions",
        ]),
      );
    });
    test("R4 stays within CloudFront's legacy whitelist limit of 10 and uses forwarded_values, not a cache policy", () => {
      expect(headers.length).toBeLessThanOrEqual(10);
      expect(wsBehavior.cache_policy_id).toBeUndefined();
      expect(wsBehavior.forwarded_values).toMatchObject({ query_string: true, cookies: { forward: "none" } });
    });
  });

  describe("R5 nothing cached, every method allowed", () => {
    test("R5 min, default and max TTL are 0", () => {
      expect(wsBehavior).toMatchObject({ min_ttl: 0, default_ttl: 0, max_ttl: 0 });
    });
    test("R5 allows GET, HEAD, OPTIONS, PUT, POST, PATCH, DELETE", () => {
      expect([...wsBehavior.allowed_methods].sort()).toEqual(["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]);
    });
  });

  describe("R6 viewer protocol policy never redirects", () => {
    test("R6 https-only by default (wss only)", () => {
      expect(wsBehavior.viewer_protocol_policy).toBe("https-only");
    });
    test("R6 allow-all only when plain ws is opted in", () => {
      const plain = onlyResource(synthStack({ ...CUSTOM, allowPlainWs: true }).tf, "aws_cloudfront_distribution");
      expect(plain.ordered_cache_behavior[0].viewer_protocol_policy).toBe("allow-all");
    });
    test("R6 the site behavior redirects, the socket behavior does not", () => {
      expect(distribution.default_cache_behavior.viewer_protocol_policy).toBe("redirect-to-https");
      expect(wsBehavior.viewer_protocol_policy).not.toBe("redirect-to-https");
    });
  });

  describe("R7 two DNS-validated certificates sharing one validation record", () => {
    const certificates = resourcesOf(tf, "aws_acm_certificate");
    test("R7 one certificate in us-east-1 for CloudFront and one in the API's region, both DNS-validated", () => {
      expect(json).toHaveResourceWithProperties(AcmCertificate, { domain_name: DOMAIN, validation_method: "DNS", provider: "aws.us_east_1" });
      expect(json).toHaveResourceWithProperties(AcmCertificate, { domain_name: DOMAIN, validation_method: "DNS", provider: "aws" });
      expect(certificates).toHaveLength(2);
      expect(tf.provider.aws).toEqual(
        expect.arrayContaining([expect.objectContaining({ region: "ap-northeast-1" }), expect.objectContaining({ alias: "us_east_1", region: "us-east-1" })]),
      );
    });
    test("R7 the shared validation CNAME is created exactly once, in the hosted zone, overwrite allowed", () => {
      const validationRecords = resourcesOf(tf, "aws_route53_record").filter((r) => r.alias === undefined);
      expect(validationRecords).toHaveLength(1);
      expect(validationRecords[0]).toMatchObject({ zone_id: CUSTOM.hostedZoneId, allow_overwrite: true });
      expect(validationRecords[0].name).toMatch(/domain_validation_options\)\.0\.resource_record_name/);
      const validations = resourcesOf(tf, "aws_acm_certificate_validation");
      expect(validations).toHaveLength(2);
      for (const v of validations)
        expect(v.validation_record_fqdns).toEqual([expect.stringMatching(/^\$\{aws_route53_record\.certificates_validation-record_\w+\.fqdn\}$/)]);
    });
    test("R7 CloudFront and the custom domain use the VALIDATED certificate ARNs", () => {
      expect(distribution.viewer_certificate.acm_certificate_arn).toMatch(
        /^\$\{aws_acm_certificate_validation\.certificates_cloudfront-validation_\w+\.certificate_arn\}$/,
      );
      expect(onlyResource(tf, "aws_apigatewayv2_domain_name").domain_name_configuration.certificate_arn).toMatch(
        /^\$\{aws_acm_certificate_validation\.certificates_regional-validation_\w+\.certificate_arn\}$/,
      );
    });
    test("R7 in us-east-1 one certificate serves CloudFront and the API", () => {
      const east = synthStack({ ...CUSTOM, region: "us-east-1" });
      expect(resourcesOf(east.tf, "aws_acm_certificate")).toHaveLength(1);
      expect(east.json).toHaveResourceWithProperties(AcmCertificateValidation, { provider: "aws" });
      expect(east.tf.provider.aws).toHaveLength(1);
      const arn = onlyResource(east.tf, "aws_cloudfront_distribution").viewer_certificate.acm_certificate_arn;
      expect(onlyResource(east.tf, "aws_apigatewayv2_domain_name").domain_name_configuration.certificate_arn).toBe(arn);
    });
  });

  describe("R8 Route 53 alias records", () => {
    test("R8 A and AAAA alias records for the domain point at the distribution", () => {
      for (const type of ["A", "AAAA"]) {
        expect(json).toHaveResourceWithProperties(Route53Record, {
          name: DOMAIN,
          type,
          zone_id: CUSTOM.hostedZoneId,
          alias: {
            name: expect.stringMatching(/aws_cloudfront_distribution\.\S+\.domain_name/),
            zone_id: expect.stringMatching(/aws_cloudfront_distribution\.\S+\.hosted_zone_id/),
            evaluate_target_health: false,
          },
        });
      }
    });
  });

  describe("R9 the chat API", () => {
    test("R9 WebSocket API routed by $request.body.action with $connect, $disconnect, sendmessage and $default", () => {
      expect(json).toHaveResourceWithProperties(Apigatewayv2Api, { protocol_type: "WEBSOCKET", route_selection_expression: "$request.body.action" });
      for (const routeKey of ["$connect", "$disconnect", "sendmessage", "$default"]) {
        expect(json).toHaveResourceWithProperties(Apigatewayv2Route, { route_key: routeKey });
      }
    });
    test("R9 no function outlives API Gateway's 29 s integration timeout (sendmessage gets all of it, the others 10 s)", () => {
      const timeouts = Object.fromEntries(resourcesOf(tf, "aws_lambda_function").map((fn) => [fn.function_name, fn.timeout]));
      // wscf-fanout is fed by SQS, not API Gateway: its 300 s are the worker's time budget.
      expect(timeouts).toEqual({
        "wscf-connect": 10,
        "wscf-disconnect": 10,
        "wscf-sendmessage": 29,
        "wscf-default": 10,
        "wscf-subscribe": 10,
        "wscf-unsubscribe": 10,
        "wscf-publish": 29,
        "wscf-fanout": 300,
      });
    });
    test("R9 connections table keyed by connectionId with a TTL", () => {
      const table = resourcesOf(tf, "aws_dynamodb_table").find((t) => t.name === "wscf-connections");
      expect(table).toMatchObject({ hash_key: "connectionId", billing_mode: "PAY_PER_REQUEST", ttl: { attribute_name: "expiresAt", enabled: true } });
    });
  });

  describe("R10 the handlers get the @connections endpoint from configuration", () => {
    test("R10 every function gets MANAGEMENT_ENDPOINT = https://<domain>/<mapping key>, not domainName/stage", () => {
      const functions = resourcesOf(tf, "aws_lambda_function");
      expect(functions).toHaveLength(8); // the seven routes and the fan-out worker
      for (const fn of functions) {
        expect(fn.environment.variables).toMatchObject({
          CONNECTIONS_TABLE: expect.stringMatching(/^\$\{aws_dynamodb_table\.\S+\.name\}$/),
          MANAGEMENT_ENDPOINT: `https://${DOMAIN}/websocket`,
          FANOUT_CONCURRENCY: "50",
          METRICS_DEPLOYMENT: "wscf",
        });
      }
    });
    test("R10 the endpoint follows the mapping key", () => {
      const custom = synthStack({ ...CUSTOM, mappingKey: "ws" });
      for (const fn of resourcesOf(custom.tf, "aws_lambda_function")) {
        expect(fn.environment.variables.MANAGEMENT_ENDPOINT).toBe(`https://${DOMAIN}/ws`);
      }
      expect(custom.tf.output.management_endpoint.value).toBe(`https://${DOMAIN}/ws`);
    });
  });

  describe("outputs", () => {
    test("every output has a description", () => {
      const outputs = Object.entries(tf.output as Record<string, { description?: string }>);
      expect(outputs.map(([name]) => name).sort()).toEqual([
        "alarm_topic_arns",
        "api_default_endpoint",
        "api_id",
        "connections_table_name",
        "dashboard_url",
        "distribution_domain_name",
        "distribution_id",
        "fanout_dead_letter_queue_url",
        "log_groups",
        "management_endpoint",
        "publish_function_arn",
        "publish_function_name",
        "region",
        "site_bucket_name",
        "site_url",
        "websocket_url",
      ]);
      for (const [, output] of outputs) expect(output.description).toEqual(expect.any(String));
    });
    test("publish_function_name and publish_function_arn name the publish function, for a backend's server-side publish", () => {
      const [key] = Object.entries(tf.resource.aws_lambda_function as Record<string, { function_name: string }>).find(([, fn]) =>
        fn.function_name.endsWith("-publish"),
      )!;
      expect(tf.output.publish_function_name.value).toBe(`\${aws_lambda_function.${key}.function_name}`);
      expect(tf.output.publish_function_arn.value).toBe(`\${aws_lambda_function.${key}.arn}`);
    });
    test("log_groups names every log group the stack creates, by purpose", () => {
      const names = resourcesOf(tf, "aws_cloudwatch_log_group").map((g) => g.name);
      expect(Object.keys(tf.output.log_groups.value).sort()).toEqual([
        "access",
        "connect",
        "default",
        "disconnect",
        "execution",
        "fanout",
        "publish",
        "sendmessage",
        "subscribe",
        "unsubscribe",
      ]);
      expect(Object.values(tf.output.log_groups.value)).toHaveLength(names.length);
      for (const value of Object.values(tf.output.log_groups.value)) expect(value).toMatch(/^\$\{aws_cloudwatch_log_group\.\S+\.name\}$/);
    });
  });
});
