/**
 * `validator(target, schema)`: route middleware that checks one part of the request — the JSON
 * body, the query, the route params or the header fields — before the handler runs, and makes
 * the checked value available, typed, as `c.req.valid(target)`.
 *
 * The schema is any Standard Schema v1 object (zod, valibot, arktype, … — see
 * `standard-schema.ts`) or a plain function. Bad input never reaches the handler: a failed check
 * answers 400 with a JSON body naming each issue by path and message; a body that is not JSON
 * answers 400, one of another media type 415 (RFC 9110 §15.5.16), one past the body limit 413.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * const User = z.object({ name: z.string().min(1), age: z.number().int().optional() });
 * app.post("/users", validator("json", User), (c) => {
 *   const user = c.req.valid("json"); // { name: string; age?: number | undefined }
 *   return c.json({ created: user.name }, 201);
 * });
 * ```
 */
import type { Context } from "../../app/context.ts";
import type { HandlerResult, Middleware } from "../../app/handler.ts";
import type { Params } from "../../app/params.ts";
import { HttpError } from "../../http/http-error.ts";
import type { StandardSchemaIssue, StandardSchemaOutput, StandardSchemaV1 } from "./standard-schema.ts";
import { TargetError, type TargetInput, TARGETS, type ValidationTarget } from "./targets.ts";

export type { TargetInput, ValidationTarget } from "./targets.ts";

/**
 * A validator written as a function: return the value to hand on (it may be transformed), or a
 * `Response` to answer with instead. A thrown `HttpError` answers with its status; anything else
 * thrown is a failed check (400, its message as the issue).
 */
export type ValidatorFunction<In, Out> = (value: In, c: Context) => Out | Response | Promise<Out | Response>;

/** One issue of a failed check, as the 400 body lists it. */
export interface ValidationIssue {
  /** Where in the value, outermost first (`["items", 0, "id"]`); `[]` for the value itself. */
  path: (string | number)[];
  message: string;
}

/** The answer to a failed check: `{ error, target, issues }`, status 400 (415 for a wrong media type). */
export interface ValidationFailure {
  error: string;
  target: ValidationTarget;
  issues: ValidationIssue[];
}

/** Answers a failed check yourself; return nothing to get the default 400. */
export type ValidationHook = (
  failure: ValidationFailure,
  c: Context,
) => HandlerResult | Promise<HandlerResult>;

/** What a schema or function hands on. */
export type ValidatorOutput<S> = S extends StandardSchemaV1 ? StandardSchemaOutput<S>
  : S extends (...args: never[]) => infer R ? Exclude<Awaited<R>, Response>
  : never;

/**
 * Route middleware that validates `target` with `schema` (see the module documentation).
 *
 * @param target `"json"`, `"query"`, `"param"` or `"header"`.
 * @param schema A Standard Schema v1 object, or a {@link ValidatorFunction}.
 * @param hook Called on a failed check with the failure; a response it makes is sent instead of
 *   the default 400.
 */
export function validator<
  T extends ValidationTarget,
  S extends StandardSchemaV1 | ValidatorFunction<TargetInput<T>, unknown>,
>(target: T, schema: S, hook?: ValidationHook): Middleware<Params, { [K in T]: ValidatorOutput<S> }> {
  const read = TARGETS[target] as (c: Context) => unknown;
  if (typeof read !== "function") throw new TypeError(`Unknown validation target ${JSON.stringify(target)}`);
  // A schema may itself be callable (an arktype Type is a function): `~standard` decides.
  const check = typeof schema === "function" && !("~standard" in schema)
    ? fromFunction(schema as ValidatorFunction<unknown, unknown>)
    : fromSchema(schema as StandardSchemaV1);
  return async (c, next) => {
    let outcome: Outcome;
    try {
      outcome = await check(await read(c as Context), c as Context);
    } catch (error) {
      if (!(error instanceof TargetError)) throw error;
      const failure = { error: error.message, target, issues: [{ path: [], message: error.message }] };
      return fail(c as Context, failure, error.status, hook);
    }
    if (outcome instanceof Response) return outcome;
    if ("issues" in outcome) {
      return fail(c as Context, { error: "Validation failed", target, issues: outcome.issues }, 400, hook);
    }
    c.req.setValid(target, outcome.value);
    await next();
  };
}

type Outcome = { value: unknown } | { issues: ValidationIssue[] } | Response;
type Check = (value: unknown, c: Context) => Promise<Outcome>;

function fromSchema(schema: StandardSchemaV1): Check {
  const standard = schema?.["~standard"];
  if (standard === undefined || typeof standard.validate !== "function") {
    throw new TypeError("validator() takes a Standard Schema (with a `~standard` property) or a function");
  }
  return async (value) => {
    const result = await standard.validate(value);
    return result.issues === undefined ? { value: result.value } : { issues: result.issues.map(toIssue) };
  };
}

function fromFunction(fn: ValidatorFunction<unknown, unknown>): Check {
  return async (value, c) => {
    try {
      const out = await fn(value, c);
      return out instanceof Response ? out : { value: out };
    } catch (error) {
      if (error instanceof HttpError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      return { issues: [{ path: [], message }] };
    }
  };
}

function toIssue(issue: StandardSchemaIssue): ValidationIssue {
  const path = (issue.path ?? []).map((segment) => {
    const key = typeof segment === "object" && segment !== null ? segment.key : segment;
    return typeof key === "number" ? key : String(key);
  });
  return { path, message: issue.message };
}

async function fail(
  c: Context,
  failure: ValidationFailure,
  status: number,
  hook: ValidationHook | undefined,
): Promise<HandlerResult> {
  if (hook !== undefined) {
    const result = await hook(failure, c);
    if (result instanceof Response || c.finalized) return result;
  }
  return c.json(failure, status);
}
