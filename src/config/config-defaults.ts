import { ConfigSchema, type Config } from "./config";

/**
 * The configuration with nothing set: the one place the local gateway and the smoke command take
 * the stack's defaults from (mapping key, stage, region, throttling), so they never drift apart.
 */
export const CONFIG_DEFAULTS: Config = ConfigSchema.parse({});
