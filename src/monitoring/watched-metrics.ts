import type { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import type { Apigatewayv2Stage } from "@cdktf/provider-aws/lib/apigatewayv2-stage";

// What the alarms and the dashboard both watch, so that a graph shows what an alarm evaluates.

/** Five minutes: a short period keeps the time to notice low. */
export const MONITORING_PERIOD_SECONDS = 300;

/**
 * A WebSocket API stage's metrics (namespace AWS/ApiGateway): dimensions ApiId + Stage
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-logging.html).
 */
export function apiStageDimensions(stage: Apigatewayv2Stage): Record<string, string> {
  return { ApiId: stage.apiId, Stage: stage.name };
}

/**
 * A distribution's metrics (namespace AWS/CloudFront, kept in us-east-1): dimensions DistributionId
 * and Region, which is always "Global"
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/programming-cloudwatch-metrics.html).
 */
export function cloudFrontDimensions(distribution: CloudfrontDistribution): Record<string, string> {
  return { DistributionId: distribution.id, Region: "Global" };
}
