import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { LOCAL_CREDENTIALS } from "../../tools/fakes/local-aws";
import { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import { startDevServer, type DevServer, type DevServerOptions } from "../../tools/gateway/server";
import { eventually, TestClient } from "./ws-client";
import { QUIET_HANDLERS } from "../../tools/gateway/handlers";

/** The connection ids stored in the local gateway's table, read straight from dynalite. */
export async function storedConnectionIds(server: DevServer): Promise<string[]> {
  const client = new DynamoDBClient({ endpoint: server.dynamodb.endpoint, region: server.region, credentials: LOCAL_CREDENTIALS });
  try {
    const out = await client.send(new ScanCommand({ TableName: server.dynamodb.tableName, ConsistentRead: true }));
    return (out.Items ?? []).map((item) => item.connectionId?.S ?? "").sort();
  } finally {
    client.destroy();
  }
}

/** Management API client for the local gateway, signing with the dummy key it accepts. */
export function localManagementClientConfig(server: DevServer) {
  return { endpoint: server.managementEndpoint, region: server.region, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 };
}

/** Handler settings for tests (Powertools writes straight to stdout, which Jest does not capture). */
export { QUIET_HANDLERS };

/**
 * Opens a client on the local gateway and finds the connection id it was given (the one id that
 * was not there before). Open one at a time: two at once could not be told apart.
 * The client is pushed onto `clients`, for the test's clean-up.
 */
export async function openClient(server: DevServer, clients: TestClient[]): Promise<{ client: TestClient; id: string }> {
  const before = new Set(server.connectionIds());
  const client = await TestClient.open(server.websocketUrl);
  clients.push(client);
  let id: string | undefined;
  await eventually(
    () => {
      id = server.connectionIds().find((c) => !before.has(c));
      return id !== undefined;
    },
    2000,
    "new connection id",
  );
  return { client, id: id! };
}

/** One local gateway for a test file, with a @connections client and the clients to close after each test. */
export interface LocalGatewayFixture {
  readonly server: DevServer;
  readonly management: ApiGatewayManagementApiClient;
  readonly clients: TestClient[];
}

/**
 * Starts a local gateway (quiet handlers, any free port) before the file's tests, closes the
 * test's clients after each test, and stops everything after the last one.
 */
export function useLocalGateway(options: DevServerOptions = {}): LocalGatewayFixture {
  let server: DevServer | undefined;
  let management: ApiGatewayManagementApiClient | undefined;
  const clients: TestClient[] = [];
  beforeAll(async () => {
    server = await startDevServer({ port: 0, ...options, handlerEnvironment: { ...QUIET_HANDLERS, ...options.handlerEnvironment } });
    management = new ApiGatewayManagementApiClient(localManagementClientConfig(server));
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    management?.destroy();
    await server?.close();
  });
  return {
    get server() {
      if (!server) throw new Error("the local gateway is not started yet (use it inside a test)");
      return server;
    },
    get management() {
      if (!management) throw new Error("the local gateway is not started yet (use it inside a test)");
      return management;
    },
    clients,
  };
}
