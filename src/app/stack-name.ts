/** The app's one stack: its folder under cdktf.out/stacks/, the key of its outputs, the default state file's name. */
export const STACK_NAME = "websocket-cloudfront";
