import { onlyResource, policyDocuments, resourcesOf, synthStack } from "./support/synth";

interface Statement {
  effect?: string;
  actions?: string[];
  resources?: string[];
  principals?: Array<{ type: string; identifiers: string[] }>;
  condition?: Array<{ test: string; variable: string; values: string[] }>;
}

/** Data-plane actions: these must never be granted on "*". */
const DATA_ACTION = /^(dynamodb|execute-api|s3|logs):/;

describe("security controls over the synthesized JSON (no IaC scanner can be installed here)", () => {
  const { tf } = synthStack();
  const documents = policyDocuments(tf);
  const allowStatements: Statement[] = Object.values(documents).flatMap((doc: { statement: Statement[] }) =>
    doc.statement.filter((s) => (s.effect ?? "Allow") === "Allow"),
  );

  describe("S3 site bucket", () => {
    test("S3-1 all public access is blocked", () => {
      expect(onlyResource(tf, "aws_s3_bucket_public_access_block")).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
    });
    test("S3-2 objects are encrypted at rest by default", () => {
      const rule = onlyResource(tf, "aws_s3_bucket_server_side_encryption_configuration").rule[0];
      expect(rule.apply_server_side_encryption_by_default.sse_algorithm).toMatch(/^(AES256|aws:kms)$/);
    });
    test("S3-3 versioning is enabled", () => {
      expect(onlyResource(tf, "aws_s3_bucket_versioning").versioning_configuration.status).toBe("Enabled");
    });
    test("S3-8 old object versions expire and incomplete uploads are aborted", () => {
      expect(onlyResource(tf, "aws_s3_bucket_lifecycle_configuration").rule).toEqual([
        expect.objectContaining({
          status: "Enabled",
          noncurrent_version_expiration: [{ noncurrent_days: 30 }],
          abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
        }),
      ]);
    });
    test("S3-4 ACLs are disabled (bucket owner enforced)", () => {
      expect(onlyResource(tf, "aws_s3_bucket_ownership_controls").rule.object_ownership).toBe("BucketOwnerEnforced");
    });
    test("S3-5 CloudFront reads through an Origin Access Control, never an OAI", () => {
      expect(onlyResource(tf, "aws_cloudfront_origin_access_control")).toMatchObject({
        origin_access_control_origin_type: "s3",
        signing_behavior: "always",
        signing_protocol: "sigv4",
      });
      expect(resourcesOf(tf, "aws_cloudfront_origin_access_identity")).toHaveLength(0);
      const siteOrigin = onlyResource(tf, "aws_cloudfront_distribution").origin.find((o: { s3_origin_config?: unknown }) => "origin_access_control_id" in o);
      expect(siteOrigin.origin_access_control_id).toMatch(/aws_cloudfront_origin_access_control\./);
      expect(siteOrigin.s3_origin_config).toBeUndefined();
    });
    test("S3-6 the bucket policy admits only this distribution and no public principal", () => {
      const policy = onlyResource(tf, "aws_s3_bucket_policy").policy as string;
      const document = documents[policy.match(/data\.aws_iam_policy_document\.([^.]+)\.json/)![1]];
      const allows = (document.statement as Statement[]).filter((s) => s.effect === "Allow");
      expect(allows).toHaveLength(1);
      expect(allows[0].principals).toEqual([{ type: "Service", identifiers: ["cloudfront.amazonaws.com"] }]);
      expect(allows[0].actions).toEqual(["s3:GetObject"]);
      expect(allows[0].condition).toEqual([
        { test: "StringEquals", variable: "AWS:SourceArn", values: [expect.stringMatching(/^\$\{aws_cloudfront_distribution\.\S+\.arn\}$/)] },
      ]);
    });
    test("S3-7 requests without TLS are denied", () => {
      const policy = onlyResource(tf, "aws_s3_bucket_policy").policy as string;
      const document = documents[policy.match(/data\.aws_iam_policy_document\.([^.]+)\.json/)![1]];
      expect(document.statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ effect: "Deny", condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] }),
        ]),
      );
    });
  });

  describe("CloudFront", () => {
    const distribution = onlyResource(tf, "aws_cloudfront_distribution");
    test("CF-1 custom certificate served with SNI, minimum TLSv1.2_2021", () => {
      expect(distribution.viewer_certificate).toMatchObject({ ssl_support_method: "sni-only", minimum_protocol_version: "TLSv1.2_2021" });
      expect(distribution.viewer_certificate.cloudfront_default_certificate).toBeUndefined();
    });
    test("CF-2 no plain HTTP to any origin", () => {
      for (const origin of distribution.origin) {
        if (origin.custom_origin_config) expect(origin.custom_origin_config.origin_protocol_policy).toBe("https-only");
        else expect(origin.origin_access_control_id).toBeDefined();
      }
    });
    test("CF-3 no behavior lets viewers use plain HTTP unless plain ws is opted in", () => {
      const behaviors = [distribution.default_cache_behavior, ...distribution.ordered_cache_behavior];
      for (const b of behaviors) expect(b.viewer_protocol_policy).not.toBe("allow-all");
    });
    test("CF-5 the site is served with the managed security headers (HSTS, nosniff, frame and referrer policies)", () => {
      expect(distribution.default_cache_behavior.response_headers_policy_id).toBe("67f7725c-6f97-4210-82d7-5512b31e9d03");
    });
    test("CF-4 default root object and IPv6", () => {
      expect(distribution).toMatchObject({ default_root_object: "index.html", is_ipv6_enabled: true, http_version: "http2and3" });
    });
  });

  describe("API Gateway", () => {
    test("APIGW-1 the custom domain requires TLS 1.2", () => {
      expect(onlyResource(tf, "aws_apigatewayv2_domain_name").domain_name_configuration.security_policy).toBe("TLS_1_2");
    });
    test("APIGW-2 the stage writes JSON access logs and is throttled", () => {
      const stage = onlyResource(tf, "aws_apigatewayv2_stage");
      const format = JSON.parse(stage.access_log_settings.format);
      expect(format).toMatchObject({ requestId: "$context.requestId", connectionId: "$context.connectionId" });
      // Behind CloudFront the TCP peer is always an edge: the field says so, and no field claims to be the client's address.
      expect(format.edgeIp).toBe("$context.identity.sourceIp");
      expect(Object.keys(format)).not.toContain("sourceIp");
      expect(stage.access_log_settings.destination_arn).toMatch(/aws_cloudwatch_log_group\./);
      expect(stage.default_route_settings).toMatchObject({ throttling_burst_limit: 100, throttling_rate_limit: 50 });
    });
    test("APIGW-3 every Lambda invoke permission is scoped by source_arn to this API's stage and route", () => {
      const permissions = resourcesOf(tf, "aws_lambda_permission");
      expect(permissions).toHaveLength(7);
      for (const p of permissions) {
        expect(p.principal).toBe("apigateway.amazonaws.com");
        expect(p.source_arn).toMatch(
          /^\$\{aws_apigatewayv2_api\.\S+\.execution_arn\}\/\$\{aws_apigatewayv2_stage\.\S+\.name\}\/(\$connect|\$disconnect|\$default|sendmessage|subscribe|unsubscribe|publish)$/,
        );
      }
    });
  });

  describe("IAM", () => {
    test("IAM-1 no Allow statement has a wildcard action", () => {
      expect(allowStatements.length).toBeGreaterThan(0);
      for (const s of allowStatements) for (const action of s.actions ?? []) expect(action).not.toMatch(/\*/);
    });
    test("IAM-1 the alarm keys' policies: kms:* for the account root only (AWS's default), CloudWatch may only decrypt and make data keys", () => {
      const policies = resourcesOf(tf, "aws_kms_key_policy").map(
        (p) => JSON.parse(p.policy) as { Statement: Array<{ Principal: Record<string, string>; Action: string | string[] }> },
      );
      expect(policies.length).toBeGreaterThan(0);
      for (const policy of policies) {
        for (const statement of policy.Statement) {
          const actions = [statement.Action].flat();
          if (actions.includes("kms:*")) expect(statement.Principal.AWS).toMatch(/^arn:\$\{.*\}:iam::\$\{.*\}:root$/);
          else expect(actions.every((a) => a === "kms:Decrypt" || a.startsWith("kms:GenerateDataKey"))).toBe(true);
        }
      }
    });
    test("IAM-2 no data action is granted on resource *", () => {
      for (const s of allowStatements) {
        if ((s.actions ?? []).some((a) => DATA_ACTION.test(a))) expect(s.resources).not.toContain("*");
      }
    });
    test("IAM-3 each function may touch only the tables it needs and only with the actions it needs", () => {
      /** Its actions; a DynamoDB action prefixed with its table (`members:` for the channel members table). */
      const granted = (fn: string, construct = `${fn}-function`) =>
        Object.entries(documents)
          .filter(([id]) => id.startsWith(`${construct}_permissions_`))
          .flatMap(([, doc]) =>
            (doc.statement as Statement[]).flatMap((s) =>
              (s.actions ?? []).map((a) => (a.startsWith("dynamodb:") && s.resources?.[0]?.includes("aws_dynamodb_table.members") ? `members:${a}` : a)),
            ),
          )
          .filter((a) => !a.startsWith("logs:"))
          .sort();
      expect(granted("connect")).toEqual(["dynamodb:PutItem"]);
      // The row's channel set names the memberships to delete with it.
      expect(granted("disconnect")).toEqual(["dynamodb:DeleteItem", "members:dynamodb:BatchWriteItem"]);
      // The channel set and message bucket on the connection's row, the member item itself.
      expect(granted("subscribe")).toEqual(["dynamodb:UpdateItem", "execute-api:ManageConnections", "members:dynamodb:PutItem"]);
      expect(granted("unsubscribe")).toEqual(["dynamodb:UpdateItem", "execute-api:ManageConnections", "members:dynamodb:DeleteItem"]);
      // publish Queries one channel's members (never a Scan), prunes them, and splits large channels.
      expect(granted("publish")).toEqual([
        "dynamodb:UpdateItem",
        "execute-api:ManageConnections",
        "members:dynamodb:DeleteItem",
        "members:dynamodb:Query",
        "sqs:SendMessage",
      ]);
      // UpdateItem spends the sender's message token bucket on its own row.
      expect(granted("sendmessage")).toEqual([
        "dynamodb:DeleteItem",
        "dynamodb:Scan",
        "dynamodb:UpdateItem",
        "execute-api:ManageConnections",
        "sqs:SendMessage",
      ]);
      // $default spends the same token bucket, and both message routes close a connection that keeps flooding.
      expect(granted("default")).toEqual(["dynamodb:UpdateItem", "execute-api:ManageConnections"]);
      // The fan-out worker: scan, prune, post, and consume its own queue; nothing else.
      expect(granted("fanout", "fanout_worker_function")).toEqual([
        "dynamodb:DeleteItem",
        "dynamodb:Scan",
        "execute-api:ManageConnections",
        "members:dynamodb:DeleteItem",
        "members:dynamodb:Query",
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ReceiveMessage",
      ]);
    });
    test("IAM-4 @connections is allowed on this stage's POST and DELETE @connections/* only: sending, and closing floods and non-readers", () => {
      const manage = allowStatements.filter((s) => s.actions?.includes("execute-api:ManageConnections"));
      expect(manage.length).toBe(6); // sendmessage, $default, subscribe, unsubscribe, publish, the fan-out worker
      const methods = manage.map((s) =>
        (s.resources ?? []).map((arn: string) => /^\$\{aws_apigatewayv2_stage\.\S+\.execution_arn\}\/(\w+)\/@connections\/\*$/.exec(arn)?.[1]),
      );
      expect(methods).toEqual(Array.from({ length: 6 }, () => ["POST", "DELETE"]));
      const workerManage = Object.entries(documents)
        .filter(([id]) => id.startsWith("fanout_worker_function_permissions_"))
        .flatMap(([, doc]) => doc.statement as Statement[])
        .filter((s) => s.actions?.includes("execute-api:ManageConnections"));
      expect(workerManage.flatMap((s) => s.resources ?? [])).toEqual([
        expect.stringMatching(/\/POST\/@connections\/\*$/),
        expect.stringMatching(/\/DELETE\/@connections\/\*$/),
      ]);
    });
    test("IAM-5 table statements name the table's ARN", () => {
      for (const s of allowStatements.filter((x) => x.actions?.some((a) => a.startsWith("dynamodb:")))) {
        expect(s.resources).toEqual([expect.stringMatching(/^\$\{aws_dynamodb_table\.\S+\.arn\}$/)]);
      }
    });
  });

  describe("logs and data", () => {
    test("LOG-1 every log group has a retention", () => {
      const groups = resourcesOf(tf, "aws_cloudwatch_log_group");
      expect(groups).toHaveLength(10); // 7 route functions, the fan-out worker, the access log and the execution log
      for (const g of groups) expect(g.retention_in_days).toBe(30);
    });
    test("LOG-2 every function logs JSON to its own group", () => {
      for (const fn of resourcesOf(tf, "aws_lambda_function")) {
        expect(fn.logging_config).toEqual({ log_format: "JSON", log_group: expect.stringMatching(/aws_cloudwatch_log_group\./) });
      }
    });
    test("DDB-1 the tables (connections, channel members) are encrypted with KMS and have point-in-time recovery and TTL", () => {
      const tables = resourcesOf(tf, "aws_dynamodb_table");
      expect(tables).toHaveLength(2);
      for (const table of tables) {
        expect(table).toMatchObject({ server_side_encryption: { enabled: true }, point_in_time_recovery: { enabled: true }, ttl: { enabled: true } });
      }
    });
  });
});
