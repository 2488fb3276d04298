import type { APIGatewayProxyResultV2 } from "aws-lambda";

/** Placeholder until the chat backend lands: answers 200 so the pipeline can be deployed. */
export const handler = async (): Promise<APIGatewayProxyResultV2> => ({ statusCode: 200, body: "sendmessage" });
