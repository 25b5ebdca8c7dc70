// The reference app on bun: `npm run serve:bun -- --port 3000`
import { serve } from "../adapters/bun/mod.ts";
import { runExample } from "./run.ts";

await runExample(serve);
