/**
 * The environment variables through which the stack configures the handlers (R10).
 * Shared by the stack (writer) and the handlers (reader), so the names cannot drift apart.
 */
export const SETTINGS_ENV = {
  /** DynamoDB table of open connection ids. */
  tableName: "CONNECTIONS_TABLE",
  /** @connections endpoint: `https://<custom domain>/<mapping key>`, never domainName + stage. */
  managementEndpoint: "MANAGEMENT_ENDPOINT",
  /** Posts one broadcast keeps in flight. */
  fanoutConcurrency: "FANOUT_CONCURRENCY",
} as const;
