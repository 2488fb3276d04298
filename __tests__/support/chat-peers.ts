import { chatDeps, type HarnessOptions } from "./chat-harness";
import { type LocalDynamo, startDynalite } from "../../tools/fakes/dynalite";
import { FakeConnectionsApi, type FakeConnectionsApiOptions } from "../../tools/fakes/connections-api";
import { LOCAL_AWS } from "../../tools/fakes/local-aws";

/** The local peers of a test file's handlers: dynalite and a fake @connections API at mapping key "websocket". */
export interface ChatPeers {
  readonly dynamo: LocalDynamo;
  readonly api: FakeConnectionsApi;
  /** Creates a connections table no other test uses and returns its name. */
  freshTable(): Promise<string>;
  /** Harness deps on these peers for `tableName`. */
  deps(tableName: string, options?: Partial<HarnessOptions>): ReturnType<typeof chatDeps>;
  /** The environment a handler's entry file (or its zip, in another process) reads to use these peers and `tableName`. */
  environment(tableName: string): Record<string, string>;
}

/** Starts the peers before the file's tests and stops them after (call at the top of a test file); `apiOptions` tune the fake. */
export function useChatPeers(apiOptions: Omit<FakeConnectionsApiOptions, "mappingKey"> = {}): ChatPeers {
  let dynamo: LocalDynamo | undefined;
  let api: FakeConnectionsApi | undefined;
  let tables = 0;
  beforeAll(async () => {
    dynamo = await startDynalite();
    api = await FakeConnectionsApi.start({ ...apiOptions, mappingKey: "websocket" });
  });
  afterAll(async () => {
    await api?.close();
    await dynamo?.stop();
  });
  const started = <T>(peer: T | undefined): T => {
    if (peer === undefined) throw new Error("the chat peers start in beforeAll: use them inside a test");
    return peer;
  };
  const peers: ChatPeers = {
    get dynamo() {
      return started(dynamo);
    },
    get api() {
      return started(api);
    },
    async freshTable() {
      tables += 1;
      const tableName = `connections-${tables}`;
      await peers.dynamo.createConnectionsTable(tableName);
      return tableName;
    },
    deps: (tableName, options = {}) => chatDeps({ dynamoEndpoint: peers.dynamo.endpoint, tableName, managementEndpoint: peers.api.endpoint, ...options }),
    environment: (tableName) => ({
      AWS_REGION: LOCAL_AWS.region,
      AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
      // The SDK's own service-specific endpoint variable: no project-specific knob needed.
      AWS_ENDPOINT_URL_DYNAMODB: peers.dynamo.endpoint,
      CONNECTIONS_TABLE: tableName,
      MANAGEMENT_ENDPOINT: peers.api.endpoint,
    }),
  };
  return peers;
}
