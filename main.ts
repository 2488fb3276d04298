import { App } from "cdktf";
import { ChatStack } from "./src/chat-stack";
import { loadConfigOrExit } from "./src/load-config-or-exit";

const config = loadConfigOrExit(process.env);
const app = new App();
new ChatStack(app, "websocket-cloudfront", { config });
app.synth();
