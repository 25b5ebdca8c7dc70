import type { Handler, Middleware } from "./handler.ts";
import type { Params, Validated } from "./params.ts";
import type { PathParams } from "../router/path-params.ts";

/** Per-route options. */
export interface RouteOptions {
  /** Largest request body this route accepts, in bytes: a larger declared body gets 413 before
   *  the handler runs (and without `100 Continue`); a larger streamed body fails with 413. */
  bodyLimit?: number;
}

/** `PathParams` as the `Params` it always is (TS cannot see that through the recursion). */
type RouteParams<Path extends string> = PathParams<Path> extends infer P extends Params ? P : Params;
type H<Path extends string, V extends Validated> = Handler<RouteParams<Path>, V>;
type M<Path extends string, V extends Validated> = Middleware<RouteParams<Path>, V>;
type O = RouteOptions;

/**
 * `app.get(path, [options], ...middleware, handler)` and its siblings: the handler's `c.params`
 * is typed from `path` ({@link PathParams}), and `c.req.valid()` from what the route middleware
 * validate (each declares its `V`; the handler sees them all). Up to four route middleware.
 * `Lead` is what comes before the path (`app.on`'s method). The overloads with options come
 * last: TS lets a function pass for the all-optional `RouteOptions`, so a middleware must be
 * tried as one first.
 */
export interface RouteMethod<Self, Lead extends unknown[] = []> {
  <Path extends string>(...args: [...Lead, path: Path, handler: H<Path, Validated>]): Self;
  <Path extends string, V1 extends Validated = Validated>(
    ...args: [...Lead, path: Path, m1: M<Path, V1>, handler: H<Path, V1>]
  ): Self;
  <Path extends string, V1 extends Validated = Validated, V2 extends Validated = Validated>(
    ...args: [...Lead, path: Path, m1: M<Path, V1>, m2: M<Path, V2>, handler: H<Path, V1 & V2>]
  ): Self;
  <
    Path extends string,
    V1 extends Validated = Validated,
    V2 extends Validated = Validated,
    V3 extends Validated = Validated,
  >(
    ...args: [...Lead, path: Path, m1: M<Path, V1>, m2: M<Path, V2>, m3: M<Path, V3>, handler: H<Path, V1 & V2 & V3>]
  ): Self;
  <
    Path extends string,
    V1 extends Validated = Validated,
    V2 extends Validated = Validated,
    V3 extends Validated = Validated,
    V4 extends Validated = Validated,
  >(
    ...args: [
      ...Lead,
      path: Path,
      m1: M<Path, V1>,
      m2: M<Path, V2>,
      m3: M<Path, V3>,
      m4: M<Path, V4>,
      handler: H<Path, V1 & V2 & V3 & V4>,
    ]
  ): Self;
  <Path extends string>(...args: [...Lead, path: Path, options: O, handler: H<Path, Validated>]): Self;
  <Path extends string, V1 extends Validated = Validated>(
    ...args: [...Lead, path: Path, options: O, m1: M<Path, V1>, handler: H<Path, V1>]
  ): Self;
  <Path extends string, V1 extends Validated = Validated, V2 extends Validated = Validated>(
    ...args: [...Lead, path: Path, options: O, m1: M<Path, V1>, m2: M<Path, V2>, handler: H<Path, V1 & V2>]
  ): Self;
  <
    Path extends string,
    V1 extends Validated = Validated,
    V2 extends Validated = Validated,
    V3 extends Validated = Validated,
  >(
    ...args: [
      ...Lead,
      path: Path,
      options: O,
      m1: M<Path, V1>,
      m2: M<Path, V2>,
      m3: M<Path, V3>,
      handler: H<Path, V1 & V2 & V3>,
    ]
  ): Self;
  <
    Path extends string,
    V1 extends Validated = Validated,
    V2 extends Validated = Validated,
    V3 extends Validated = Validated,
    V4 extends Validated = Validated,
  >(
    ...args: [
      ...Lead,
      path: Path,
      options: O,
      m1: M<Path, V1>,
      m2: M<Path, V2>,
      m3: M<Path, V3>,
      m4: M<Path, V4>,
      handler: H<Path, V1 & V2 & V3 & V4>,
    ]
  ): Self;
}

/** What a route is given after its path, checked at run time: `[options], ...middleware, handler`. */
export interface RouteParts {
  options: RouteOptions;
  middleware: Middleware[];
  handler: Handler;
}

/** Split the arguments after a route's path; a TypeError names the route when they do not fit. */
export function routeParts(label: string, args: readonly unknown[]): RouteParts {
  let start = 0;
  let options: RouteOptions = {};
  const first = args[0];
  if (first !== null && typeof first === "object") {
    options = first as RouteOptions;
    start = 1;
  }
  const functions = args.slice(start);
  if (functions.length === 0) throw new TypeError(`Route ${label} has no handler`);
  for (const fn of functions) {
    if (typeof fn !== "function") {
      throw new TypeError(`Route ${label}: expected [options], ...middleware, handler; got a ${typeof fn}`);
    }
  }
  return {
    options,
    middleware: functions.slice(0, -1) as Middleware[],
    handler: functions[functions.length - 1] as Handler,
  };
}
