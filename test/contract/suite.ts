/**
 * The contract suite: every case, runner-neutral. Each runtime's test file calls this with its
 * runner's API and its adapter's `serve` (DESIGN.md §4).
 */
import type { Runtime, TestApi } from "./harness.ts";
import { http1Cases } from "./http1/http1-cases.ts";
import { stressCases } from "./stress/stress-cases.ts";
import { wsCases } from "./ws/ws-cases.ts";
import { tlsCases } from "./tls-cases.ts";
import { semanticsCases } from "./semantics-cases.ts";
import { appErrorCases } from "./app-error-cases.ts";
import { http1TrailerCases } from "./http1-trailer-cases.ts";
import { serveErrorCases } from "./serve-error-cases.ts";
import { appFetchHostCases } from "./app-fetch-host-cases.ts";
import { fetchStandardCases } from "./fetch-standard-cases.ts";
import { connectionLimitCases } from "./connection-limit-cases.ts";
import { sseCases } from "./sse-cases.ts";
import { rateLimitCases } from "./rate-limit-cases.ts";
import { validatorCases } from "./validator-cases.ts";
import { cookieCases } from "./cookie-cases.ts";
import { sessionCases } from "./session-cases.ts";
import { batteriesCases } from "./batteries-cases.ts";
import { staticCases } from "./static/static-cases.ts";
import { staticMemoryCases } from "./static/static-memory-cases.ts";
import { formsCases } from "./forms-cases.ts";
import { telemetryCases } from "./telemetry-cases.ts";
import { profilerCases } from "./profiler-cases.ts";
import { referenceAppCases } from "./reference-app-cases.ts";
import { redisBackplaneCases } from "./redis-backplane-cases.ts";
import { closingCases } from "./closing-cases.ts";
import { floodPenaltyCases } from "./flood-penalty-cases.ts";

/** Register the whole contract suite for one runtime. */
export function contractSuite(t: TestApi, runtime: Runtime): void {
  http1Cases(t, runtime);
  stressCases(t, runtime);
  wsCases(t, runtime);
  tlsCases(t, runtime);
  semanticsCases(t, runtime);
  appErrorCases(t, runtime);
  http1TrailerCases(t, runtime);
  serveErrorCases(t, runtime);
  appFetchHostCases(t, runtime);
  fetchStandardCases(t, runtime);
  connectionLimitCases(t, runtime);
  sseCases(t, runtime);
  rateLimitCases(t, runtime);
  validatorCases(t, runtime);
  cookieCases(t, runtime);
  sessionCases(t, runtime);
  batteriesCases(t, runtime);
  staticCases(t, runtime);
  staticMemoryCases(t, runtime);
  formsCases(t, runtime);
  telemetryCases(t, runtime);
  profilerCases(t, runtime);
  referenceAppCases(t, runtime);
  redisBackplaneCases(t, runtime);
  closingCases(t, runtime);
  floodPenaltyCases(t, runtime);
}
