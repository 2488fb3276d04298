import type { BaseDeps } from "../base/deps";
import type { ChannelDeps } from "../channels/deps";
import type { SplitDeps } from "../fanout/peers";
import type { RateDeps } from "../rate/check";

/** What the routes work with: the base every handler shares, and each feature's own. */
export interface ChatDeps extends BaseDeps, RateDeps, SplitDeps, ChannelDeps {}
