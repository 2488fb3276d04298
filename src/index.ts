// The package's public API: the front door, and what its props and checks are made of.
export {
  type ConnectionsMethod,
  managementEndpointOf,
  WebSocketCloudFront,
} from "./front-door/websocket-cloudfront";
export {
  type FrontDoorCertificates,
  FrontDoorInputError,
  type FrontDoorProviders,
  type FrontDoorSite,
  type HostedZoneRef,
  type WebSocketApiRef,
  type WebSocketCloudFrontProps,
  type WebSocketStageRef,
} from "./front-door/front-door-props";
export {
  ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID,
  CACHING_DISABLED_POLICY_ID,
  CACHING_OPTIMIZED_POLICY_ID,
  type CustomDefaultOrigin,
  SECURITY_HEADERS_POLICY_ID,
  WEBSOCKET_FORWARDED_HEADERS,
} from "./front-door/distribution";
export { type GeneratedSiteFile, listSiteFiles, SiteFolderError, type SiteFile, type SiteListing } from "./front-door/site-files";
export { pathPatternMatches } from "./front-door/path-pattern";
export { CLOUDFRONT_CERTIFICATE_REGION } from "./front-door/aws-regions";
export type { ApiCustomDomain } from "./front-door/api-custom-domain";
export type { SiteBucket } from "./front-door/site-bucket";
