import { App } from "cdktf";
import { ChatStack } from "./src/app/chat-stack";
import { loadConfigOrExit } from "./src/config/load-config-or-exit";

const { config, site } = loadConfigOrExit(process.env);
// No stack traces in manifest.json: they name this machine's paths and change with the bundle.
const app = new App({ stackTraces: false });
new ChatStack(app, "websocket-cloudfront", { config, site });
app.synth();
