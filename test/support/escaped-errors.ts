/**
 * Errors that escape a test must fail the run. Under `node:test` on Deno (seen on 2.9.6) they do
 * not: a rejected promise nobody awaits, a throw in a timer callback, a throwing `afterEach` hook,
 * and a throw at a test module's top level once it has registered a test are all dropped, and
 * `deno test` exits 0. (With `Deno.test` the same errors fail the module; vitest and `bun test`
 * fail the run too.) So the Deno entry files run each test {@link guarded}: an error that escaped
 * fails the test running when it surfaced, or the next one, or {@link checkNothingEscaped} last.
 * @module
 */
import { it } from "node:test";
import { setImmediate } from "node:timers";

const escaped: unknown[] = [];
let watching = false;

/**
 * Start collecting unhandled rejections and uncaught errors (once per process). Call it before
 * the first test registers, so that these listeners come ahead of node:test's own, which they
 * stop: each error is then reported here, once (node:test would fail a still-running test with a
 * rejection, and drop every other error).
 */
export function watchEscapedErrors(): void {
  if (watching) return;
  watching = true;
  globalThis.addEventListener("unhandledrejection", (event: PromiseRejectionEvent) => {
    event.preventDefault();
    event.stopImmediatePropagation();
    escaped.push(event.reason);
  });
  globalThis.addEventListener("error", (event: ErrorEvent) => {
    event.preventDefault();
    event.stopImmediatePropagation();
    escaped.push(event.error ?? event.message);
  });
}

/** Hand over an error that the runner itself would drop, for the next check. */
export function reportEscapedError(error: unknown): void {
  escaped.push(error);
}

/** Throw the errors collected since the last call, if any; `when` says where they surfaced. */
function throwEscaped(when: string): void {
  if (escaped.length === 0) return;
  const errors = escaped.splice(0);
  // The runner prints each inner error with its stack: the message only lists them.
  throw new AggregateError(errors, `${errors.length} error(s) escaped a test, seen ${when}: ${errors.join("; ")}`);
}

/**
 * Run one test body so that what escapes it fails it: errors collected before it started fail it
 * too, naming it. After the body, one check phase of the event loop lets pending rejections
 * surface (about 10 µs; a zero timeout costs about 2 ms, which over a thousand tests doubles the
 * run); a throw from a timer surfaces whenever the timer fires, in the test running then.
 */
export async function guarded(name: string, body: () => unknown): Promise<void> {
  throwEscaped(`before "${name}" started`);
  await body();
  await new Promise((resolve) => setImmediate(resolve));
  throwEscaped(`when "${name}" ended`);
}

/** Register the last test of a run: errors that escaped the last tests or hooks fail it. */
export function checkNothingEscaped(): void {
  it("no error escaped the tests", async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    throwEscaped("after the last test");
  });
}
