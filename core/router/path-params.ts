/**
 * The parameters of a route pattern, as a type: what `find()` puts in `params` for that pattern.
 *
 * Read from the pattern string with template literal types, segment by segment, by the same rules
 * as `Router.add()`: `:name` is a required `string`, a final `:name?` an optional one
 * (`string | undefined`: the route also answers without that segment), and a final `*` the rest
 * of the path as `params["*"]`. Static segments add nothing, so a static pattern has no
 * parameters at all and reading one is a type error. A pattern that is no literal (`string`)
 * gives `Record<string, string>`, as before typed params.
 *
 * @example
 * ```ts
 * type A = PathParams<"/users/:id/posts/:post?">; // { id: string; post?: string | undefined }
 * type B = PathParams<"/files/*">; // { "*": string }
 * ```
 */
export type PathParams<Path extends string> = string extends Path ? Record<string, string>
  : Flatten<Collect<Path, never, never>>;

/** Walk the segments, gathering required and optional names. */
type Collect<S extends string, Required extends string, Optional extends string> = S extends
  `${infer Segment}/${infer Rest}` ? Collect<Rest, Required | RequiredName<Segment>, Optional | OptionalName<Segment>>
  : Params<Required | RequiredName<S>, Optional | OptionalName<S>>;

type RequiredName<Segment extends string> = Segment extends `:${string}?` ? never
  : Segment extends `:${infer Name}` ? Name
  : Segment extends "*" ? "*"
  : never;

type OptionalName<Segment extends string> = Segment extends `:${infer Name}?` ? Name : never;

type Params<Required extends string, Optional extends string> =
  & { [K in Required]: string }
  & { [K in Optional]?: string | undefined };

/** One object type instead of an intersection, so editors show `{ id: string }`. */
type Flatten<T> = { [K in keyof T]: T[K] };
