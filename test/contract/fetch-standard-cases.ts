/**
 * The fetch path against the web standard, beside each runtime's own server (DESIGN.md §4):
 * the Request a handler gets, the Response it gives, and the second argument it gets.
 */
import type { Runtime, TestApi } from "./harness.ts";
import { fetchRequestCases } from "./fetch-request-cases.ts";
import { fetchResponseCases } from "./fetch-response-cases.ts";
import { fetchEdgeCases } from "./fetch-edge-cases.ts";
import { fetchEnvCases } from "./fetch-env-cases.ts";

/** Register every fetch-path case for one runtime. */
export function fetchStandardCases(t: TestApi, runtime: Runtime): void {
  fetchRequestCases(t, runtime);
  fetchResponseCases(t, runtime);
  fetchEdgeCases(t, runtime);
  fetchEnvCases(t, runtime);
}
