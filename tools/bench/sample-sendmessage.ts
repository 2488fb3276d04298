/**
 * A faithful re-implementation of aws-samples/simple-websockets-chat-app `sendmessage/app.js`
 * (main branch, SDK v3), kept only as the benchmark's baseline. Its algorithm, bugs included:
 * ONE scan call (ids past the first 1 MB page are never read), an unbounded Promise.all over every
 * id, `e.statusCode === 410` (never true for SDK v3 errors) and a delete of the SENDER's id.
 * The one deliberate change: the endpoint is passed in, since the bench has no domainName/stage.
 */
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from "@aws-sdk/client-apigatewaymanagementapi";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, DynamoDBDocumentClient, ScanCommand, type ScanCommandOutput } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from "aws-lambda";

export function sampleHandler(ddbClient: DynamoDBClient, endpoint: string, tableName: string) {
  const ddb = DynamoDBDocumentClient.from(ddbClient);
  return async (event: APIGatewayProxyWebsocketEventV2): Promise<APIGatewayProxyResultV2> => {
    let connectionData: ScanCommandOutput;
    try {
      connectionData = await ddb.send(new ScanCommand({ TableName: tableName, ProjectionExpression: "connectionId" }));
    } catch (e) {
      return { statusCode: 500, body: (e as Error).stack };
    }
    const apigwManagementApi = new ApiGatewayManagementApiClient({ apiVersion: "2018-11-29", endpoint });
    const postData = (JSON.parse(event.body ?? "") as { data: string }).data;
    const postCalls = (connectionData.Items ?? []).map(async ({ connectionId }) => {
      try {
        await apigwManagementApi.send(new PostToConnectionCommand({ ConnectionId: connectionId as string, Data: postData }));
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 410) {
          console.log(`Found stale connection, deleting ${connectionId}`);
          await ddb.send(new DeleteCommand({ TableName: tableName, Key: { connectionId: event.requestContext.connectionId } }));
        } else {
          throw e;
        }
      }
    });
    try {
      await Promise.all(postCalls);
    } catch (e) {
      return { statusCode: 500, body: (e as Error).stack };
    }
    return { statusCode: 200, body: "Data sent." };
  };
}
