/** Route params by name: what `c.params` holds (a route's own type comes from `PathParams`). */
export type Params = Readonly<Record<string, string | undefined>>;

/**
 * Validated values by target (`json`, `query`, …), as a route's middleware declares them for
 * `c.req.valid()`; none by default, so `c.req.valid("json")` without a validator is a type error.
 */
export type Validated = Record<never, never>;
