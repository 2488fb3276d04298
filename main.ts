import { App } from "cdktf";
import { ChatStack } from "./src/app/chat-stack";
import { STACK_NAME } from "./src/app/stack-name";
import { loadConfigOrExit } from "./src/config/load-config-or-exit";

const { config, site } = loadConfigOrExit(process.env);
// No stack traces in manifest.json: they name this machine's paths and change with the bundle.
const app = new App({ stackTraces: false });
new ChatStack(app, STACK_NAME, { config, site });
app.synth();
