// The reference app on deno: `npm run serve:deno -- --port 3000`
import { serve } from "../adapters/deno/mod.ts";
import { runExample } from "./run.ts";

await runExample(serve);
