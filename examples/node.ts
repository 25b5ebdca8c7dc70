// The reference app on node: `npm run serve:node -- --port 3000`
import { serve } from "../adapters/node/mod.ts";
import { runExample } from "./run.ts";

await runExample(serve);
