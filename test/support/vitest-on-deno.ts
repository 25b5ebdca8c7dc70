/**
 * The part of vitest's test API that the unit tests use, on Deno: `deno test` with
 * `test/support/deno-unit-imports.json` maps the bare specifier `vitest` here, so the very files
 * vitest runs on Node (and `bun test` on Bun) run unchanged under Deno (DESIGN.md §4).
 *
 * - Suites, tests and hooks go to `node:test`, which Deno runs natively (nested suites become
 *   test steps; before/after hooks in the order vitest runs them).
 * - `expect` is vitest's own: `@vitest/expect`'s matchers on chai, set up as that package's README
 *   shows, so an assertion means on Deno exactly what it means on Node (Jest's standalone
 *   `expect` package refuses vitest's `expect(value, message)`, which the tests use). A failure's
 *   message gets the diff vitest's reporter would print, which Deno's reporter does not.
 * - Anything not here (`vi`, `it.skip`, snapshots, …) is missing on purpose: importing or calling
 *   it fails the run (a type error under `deno check`, a `TypeError` when loaded), never a silent
 *   skip.
 *
 * Nothing may pass unseen: a `describe` whose body adds no test fails, so does a file that adds
 * none ({@link collectFile}), and so does an error that escapes a test (escaped-errors.ts).
 * @module
 */
import {
  after,
  afterEach as nodeAfterEach,
  before,
  beforeEach as nodeBeforeEach,
  describe as nodeDescribe,
  it as nodeIt,
} from "node:test";
import { format } from "node:util";
import { chai, type ExpectStatic, JestAsymmetricMatchers, JestChaiExpect, JestExtend } from "@vitest/expect";
import { printDiffOrStringify } from "@vitest/utils/diff";
import { guarded, reportEscapedError, watchEscapedErrors } from "./escaped-errors.ts";

chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(JestAsymmetricMatchers);

/** vitest's `expect` (matchers, `.not`, `.resolves`/`.rejects`, asymmetric matchers, a message). */
export const expect: ExpectStatic = chai.expect as unknown as ExpectStatic;

/** A test or hook body; a returned promise is awaited. */
type Body = () => unknown;

/** What vitest's `it(name, options, fn)` takes that we honour. */
export interface TestOptions {
  timeout?: number;
}

/**
 * The arguments of an `each` callback over rows of type `Row` (a union of tuples for an `as const`
 * table): position by position, the union of that column's values, as vitest types them.
 */
export type Columns<Row extends readonly unknown[], All extends readonly unknown[] = Row> = {
  -readonly [K in keyof Row]: All extends unknown ? All[K & keyof All] : never;
};

/** `it.each(cases)(title, fn)`: a case that is an array is spread into the arguments of `fn`. */
export interface Each {
  // `| [unknown]` makes TypeScript infer a literal table's rows as tuples, not as arrays.
  <T extends unknown[] | [unknown]>(cases: readonly T[]): (title: string, fn: (...args: T) => unknown) => void;
  <T extends readonly unknown[]>(cases: readonly T[]): (title: string, fn: (...args: Columns<T>) => unknown) => void;
  <T>(cases: readonly T[]): (title: string, fn: (arg: T) => unknown) => void;
}

/** vitest's `it`/`test`: `(name, fn, timeout?)` or `(name, options, fn)`, plus `.each`. */
export interface TestFunction {
  (name: string, fn: Body, timeout?: number): void;
  (name: string, options: TestOptions, fn: Body): void;
  readonly each: Each;
}

/** vitest's `describe`, plus `.each`. */
export interface DescribeFunction {
  (name: string, fn: () => void): void;
  readonly each: Each;
}

/** vitest.config.ts `testTimeout`: the same limit on every runtime. */
const DEFAULT_TIMEOUT_MS = 120_000;

/** Registrations at the top level of the file being collected; `undefined` when not collecting. */
let collecting: (() => void)[] | undefined;
/** Tests and suites registered so far, to catch a suite or a file that adds none. */
let registered = 0;

function register(isTest: boolean, add: () => void): void {
  if (isTest) registered++;
  if (collecting === undefined) add();
  else collecting.push(add);
}

watchEscapedErrors();

/** Run a test body, guarded (escaped-errors.ts); a failed assertion gets the diff in its message. */
function runTest(name: string, fn: Body): Promise<void> {
  return guarded(name, async () => {
    try {
      await fn();
    } catch (error) {
      throw withDiff(error);
    }
  });
}

function withDiff(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const { actual, expected, showDiff } = error as { actual?: unknown; expected?: unknown; showDiff?: boolean };
  // The rule of vitest's reporter (@vitest/utils `processError`).
  if (showDiff === false || (showDiff === undefined && (actual === undefined || expected === undefined))) return error;
  const diff = printDiffOrStringify(actual, expected);
  if (diff !== undefined) error.message += `\n\n${diff}`;
  return error;
}

function addTest(name: string, second: Body | TestOptions, third?: Body | number): void {
  const fn = typeof second === "function" ? second : third;
  if (typeof fn !== "function") throw new TypeError(`it("${name}"): no test function`);
  const options = typeof second === "function" ? {} : second;
  const timeout = typeof third === "number" ? third : options.timeout ?? DEFAULT_TIMEOUT_MS;
  // A zero-argument wrapper: node:test would take a one-argument body for a done-callback test.
  register(true, () => void nodeIt(name, { timeout }, () => runTest(name, fn)));
}

function addSuite(name: string, fn: () => void): void {
  register(true, () =>
    void nodeDescribe(name, () => {
      const before = registered;
      const result: unknown = fn();
      // Deno's node:test collects a suite's tests while its body runs; ones added after an
      // await would be reported as incomplete steps, so refuse the async body outright.
      if (result instanceof Promise) throw new Error(`describe("${name}"): an async body is not supported on Deno`);
      if (registered === before) throw new Error(`describe("${name}") registered no test`);
    }));
}

/**
 * The title of one `each` case, as vitest makes it: printf placeholders (`%s %d %i %f %j %o %O`)
 * take the case's values in order, `%#` is the case's index, `%%` a percent sign.
 */
function title(template: string, args: readonly unknown[], index: number): string {
  const withIndex = template.replace(/%#/g, String(index));
  const placeholders = withIndex.match(/%[sdifjoOc]/g)?.length ?? 0;
  return format(withIndex, ...args.slice(0, placeholders));
}

function each(add: (name: string, fn: Body) => void): Each {
  return ((cases: readonly unknown[]) => (template: string, fn: (...args: unknown[]) => unknown) => {
    cases.forEach((c, index) => {
      const args = Array.isArray(c) ? c : [c];
      add(title(template, args, index), () => fn(...args));
    });
  }) as Each;
}

/** vitest's `it`. */
export const it: TestFunction = Object.assign(addTest as TestFunction, {
  each: each((name, fn) => addTest(name, fn)),
});
/** vitest's `test`, the same as `it`. */
export const test: TestFunction = it;
/** vitest's `describe`. */
export const describe: DescribeFunction = Object.assign(addSuite, {
  each: each((name, fn) => addSuite(name, fn as () => void)),
});

/** Runs once before the tests of the enclosing suite (or file). */
export function beforeAll(fn: Body): void {
  register(false, () => void before(async () => void await fn()));
}
/** Runs once after the tests of the enclosing suite (or file). */
export function afterAll(fn: Body): void {
  register(false, () => void after(async () => void await fn()));
}
/** Runs before each test of the enclosing suite (or file), nested suites included. */
export function beforeEach(fn: Body): void {
  register(false, () => void nodeBeforeEach(async () => void await fn()));
}
/**
 * Runs after each test of the enclosing suite (or file), nested suites included. Deno's node:test
 * ignores a throw from it, so the throw is handed to the next test (or the last check) instead.
 */
export function afterEach(fn: Body): void {
  register(false, () =>
    void nodeAfterEach(async () => {
      try {
        await fn();
      } catch (error) {
        reportEscapedError(new Error(`an afterEach hook failed: ${error}`, { cause: error }));
      }
    }));
}

/**
 * Load one test file and register everything its top level added as one suite named after the
 * file, so each file's top-level hooks stay in that file (as in vitest, where a file is a scope).
 * A file that fails to load or adds no test becomes a failing test of that name: never a throw,
 * which Deno would drop once a test is registered (see escaped-errors.ts).
 */
export async function collectFile(name: string, load: () => Promise<unknown>): Promise<void> {
  const additions: (() => void)[] = [];
  const before = registered;
  let failure: unknown;
  collecting = additions;
  try {
    await load();
    if (registered === before) failure = new Error(`${name} registered no test`);
  } catch (error) {
    failure = error;
  } finally {
    collecting = undefined;
  }
  if (failure !== undefined) {
    nodeIt(name, () => Promise.reject(failure));
    return;
  }
  nodeDescribe(name, () => {
    for (const add of additions) add();
  });
}
