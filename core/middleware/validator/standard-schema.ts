/**
 * The Standard Schema v1 interface (https://standardschema.dev), declared here so that any library
 * implementing it — zod 3.24+ and 4, valibot 1, arktype 2, … — validates wirecore input without
 * wirecore depending on one. Types only: a schema is anything with a `~standard` property of
 * this shape; `validate` may answer at once or with a promise.
 */

/** A schema of any Standard Schema library. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": StandardSchemaProps<Input, Output>;
}

/** The `~standard` property. */
export interface StandardSchemaProps<Input = unknown, Output = Input> {
  /** The version of the interface: 1. */
  readonly version: 1;
  /** The library, e.g. `"zod"`. */
  readonly vendor: string;
  /** Check a value: the (possibly transformed) value, or the issues found. */
  readonly validate: (value: unknown) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
  /** Input and output types, for inference only (no value at run time). */
  readonly types?: StandardSchemaTypes<Input, Output> | undefined;
}

/** What `validate` gives. */
export type StandardSchemaResult<Output> = StandardSchemaSuccess<Output> | StandardSchemaFailure;

export interface StandardSchemaSuccess<Output> {
  readonly value: Output;
  readonly issues?: undefined;
}

export interface StandardSchemaFailure {
  readonly issues: ReadonlyArray<StandardSchemaIssue>;
}

/** One problem with the value. */
export interface StandardSchemaIssue {
  readonly message: string;
  /** Where in the value, outermost key first; a segment may be a key or `{ key }`. */
  readonly path?: ReadonlyArray<PropertyKey | StandardSchemaPathSegment> | undefined;
}

export interface StandardSchemaPathSegment {
  readonly key: PropertyKey;
}

export interface StandardSchemaTypes<Input, Output> {
  readonly input: Input;
  readonly output: Output;
}

/** The output type of a schema (what `c.req.valid()` gives after it). */
export type StandardSchemaOutput<S extends StandardSchemaV1> = NonNullable<S["~standard"]["types"]>["output"];
