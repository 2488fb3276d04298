import type { ChannelMembers } from "./members";

/** What channels add to a handler's deps. */
export interface ChannelDeps {
  /** The channel members table (lambdas/channels/members.ts). @default - none: this function has no channel work */
  readonly members?: ChannelMembers;
  /** `claims`: channels are limited by the token's claim (lambdas/channels/grant.ts). @default "open" */
  readonly channelAccess?: "open" | "claims";
}
