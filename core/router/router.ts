/**
 * A method-aware path router: static segments, named parameters and a trailing wildcard.
 *
 * Fully static patterns live in one `Map` keyed by the whole path, so a static hit costs one hash
 * lookup however many routes exist. Patterns with a parameter or a wildcard live in a segment
 * tree whose nodes find their static children through a `Map`. Every terminal holds a small
 * per-method table, so a method mismatch costs one more lookup and `allowed()` can answer 405.
 *
 * Matching rules:
 * - The path is the raw request path (RFC 9112 §3.2 origin-form, query already split off), compared
 *   byte for byte: no decoding, no case folding, no slash merging. A trailing slash is significant
 *   (`/a` and `/a/` are different paths), and `/files/*` does not match `/files`.
 * - At each segment a static child beats a parameter, which beats the wildcard; when a branch finds
 *   no route for the request method, the search backtracks into the next one. So the most specific
 *   pattern that serves the method wins; at one pattern an exact method beats `HEAD`→`GET`
 *   fallback, which beats a `"*"` (any method) route.
 * - A parameter matches one non-empty segment. The wildcard matches the rest of the path, possibly
 *   empty, and is reported as `params["*"]`. A last segment `:name?` is optional: the pattern is
 *   registered twice, with `:name` and without the segment (`/users/:id?` serves `/users/7` and
 *   `/users`; `params.id` is absent in the second case).
 * - Parameter and wildcard values are percent-decoded with `decodeURIComponent` when they hold a
 *   `%` (RFC 3986 §2.1); a malformed escape (`%zz`, a broken UTF-8 sequence) leaves the raw value
 *   as sent rather than failing the request. `+` stays `+` (that is form encoding, not paths).
 *   Decoding happens after splitting, so `%2F` in a parameter is a `/` inside that one value; in a
 *   wildcard value it is indistinguishable from a real `/`, so file servers must normalize it.
 *
 * @example
 * ```ts
 * const router = new Router<string>();
 * router.add("GET", "/users/:id", "show user");
 * router.find("GET", "/users/42"); // { value: "show user", params: { id: "42" } }
 * router.find("POST", "/users/42"); // null
 * router.allowed("/users/42"); // ["GET", "HEAD"]  → answer 405 with this Allow list
 * ```
 */

/** A successful lookup. Treat it as read-only: static matches are shared between requests. */
export interface RouteMatch<T> {
  readonly value: T;
  /** Parameter values by name, `"*"` for the wildcard. A shared frozen `{}` when there are none. */
  readonly params: Readonly<Record<string, string>>;
}

/** The params of every route without parameters: shared, so a static hit allocates nothing. */
const EMPTY_PARAMS: Readonly<Record<string, string>> = Object.freeze({});

/** One registered route. */
interface Route<T> {
  readonly method: string;
  readonly pattern: string;
  readonly value: T;
  /** Parameter names in pattern order. */
  readonly names: readonly string[];
  readonly wildcard: boolean;
  /** The prebuilt answer for a route without parameters or wildcard, else null. */
  readonly fixed: RouteMatch<T> | null;
}

/** The routes registered at one pattern shape, by method. */
class Handlers<T> {
  readonly byMethod: Map<string, Route<T>> = new Map();
  any: Route<T> | null = null;

  /** Exact method, then HEAD→GET (RFC 9110 §9.3.2: HEAD is GET without content), then `"*"`. */
  get(method: string): Route<T> | null {
    const route = this.byMethod.get(method);
    if (route !== undefined) return route;
    if (method === "HEAD") {
      const get = this.byMethod.get("GET");
      if (get !== undefined) return get;
    }
    return this.any;
  }

  add(route: Route<T>): void {
    const existing = route.method === "*" ? this.any : (this.byMethod.get(route.method) ?? null);
    if (existing !== null) {
      throw new Error(
        `Duplicate route ${route.method} ${route.pattern}: ` +
          `it has the same shape as ${existing.method} ${existing.pattern}`,
      );
    }
    if (route.method === "*") this.any = route;
    else this.byMethod.set(route.method, route);
  }
}

/** A segment-tree node: what may follow the segments consumed so far. */
class Node<T> {
  /** Children by exact (raw) segment text. */
  statics: Map<string, Node<T>> | null = null;
  /**
   * The only static child's segment, or null when there are none or several. Hashing a freshly
   * sliced segment for `Map.get` dominates a lookup, and most nodes have one static child, so
   * those compare in place with `startsWith` instead.
   */
  onlyText: string | null = null;
  onlyChild: Node<T> | null = null;
  /** The child reached through a parameter segment; names live on routes, not nodes. */
  param: Node<T> | null = null;
  /** Routes whose pattern ends with `*` right here. */
  wildcard: Handlers<T> | null = null;
  /** Routes whose pattern ends exactly at this node. */
  handlers: Handlers<T> | null = null;
}

// RFC 9110 §5.6.2 tchar, the alphabet of method tokens.
const METHOD_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Z]+$/;
// RFC 3986 §3.3 pchar minus "%" (checked separately) and "*" (reserved for the wildcard).
const STATIC_SEGMENT_CHARS = /^[A-Za-z0-9\-._~!$&'()+,;=:@%]*$/;
const PARAM_NAME = /^[A-Za-z0-9_]+$/;
const HEX = /^[0-9A-Fa-f]{2}$/;

/** A path router. See the module documentation for the matching rules. */
export class Router<T> {
  /** Fully static patterns, by the whole path. */
  readonly #static: Map<string, Handlers<T>> = new Map();
  /** Patterns with a parameter or a wildcard. */
  readonly #root: Node<T> = new Node();
  /** Parameter values of the branch being tried, by position; reused across lookups. */
  readonly #values: string[] = [];
  /** Where the wildcard value starts in the path of the last wildcard match. */
  #wildcardStart = 0;

  /**
   * Register `value` for `method` and `pattern`.
   *
   * @param method An uppercase method token (`"GET"`), or `"*"` for any method.
   * @param pattern `/`-separated segments: static text, `:name`, a final `:name?` or a final `*`.
   * @throws Error on an invalid method or pattern, or when a route with the same method and the
   *   same pattern shape (parameter names aside) is already registered.
   */
  add(method: string, pattern: string, value: T): void {
    const optional = optionalTail(pattern);
    if (optional !== -1) {
      this.add(method, pattern.slice(0, -1), value); // with the parameter: validates the pattern
      this.add(method, optional === 0 ? "/" : pattern.slice(0, optional), value);
      return;
    }
    if (method !== "*" && !METHOD_TOKEN.test(method)) {
      throw new Error(
        `Invalid method ${JSON.stringify(method)}: ` +
          `use an uppercase method token such as "GET", or "*" for any method`,
      );
    }
    const segments = parsePattern(pattern);
    const names: string[] = [];
    let wildcard = false;
    for (const segment of segments) {
      if (segment === "*") wildcard = true;
      else if (segment.charCodeAt(0) === 58 /* : */) names.push(segment.slice(1));
    }
    const fixed: RouteMatch<T> | null = names.length === 0 && !wildcard
      ? Object.freeze({ value, params: EMPTY_PARAMS })
      : null;
    const route: Route<T> = { method, pattern, value, names, wildcard, fixed };

    if (fixed !== null) {
      let handlers = this.#static.get(pattern);
      if (handlers === undefined) {
        handlers = new Handlers();
        this.#static.set(pattern, handlers);
      }
      handlers.add(route);
      return;
    }

    let node = this.#root;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i]!;
      if (segment === "*") {
        node.wildcard ??= new Handlers();
        node.wildcard.add(route);
        return;
      }
      if (segment.charCodeAt(0) === 58 /* : */) {
        node = node.param ??= new Node();
      } else {
        node.statics ??= new Map();
        let child = node.statics.get(segment);
        if (child === undefined) {
          child = new Node();
          node.statics.set(segment, child);
          const single = node.statics.size === 1;
          node.onlyText = single ? segment : null;
          node.onlyChild = single ? child : null;
        }
        node = child;
      }
    }
    node.handlers ??= new Handlers();
    node.handlers.add(route);
  }

  /**
   * Find the route for a request. `HEAD` falls back to `GET` routes where no `HEAD` route exists.
   *
   * @param method The request method, case-sensitive (RFC 9110 §9.1).
   * @param path The raw request path, without the query.
   * @returns The value and parameters, or null when nothing matches (see `allowed()` for 404/405).
   */
  find(method: string, path: string): RouteMatch<T> | null {
    const handlers = this.#static.get(path);
    if (handlers !== undefined) {
      const route = handlers.get(method);
      // Static routes always carry a prebuilt answer.
      if (route !== null) return route.fixed;
    }
    if (path.charCodeAt(0) !== 47 /* / */) return null;
    const route = this.#walk(this.#root, path, 1, 0, method);
    if (route === null) return null;

    const names = route.names;
    const values = this.#values;
    const params: Record<string, string> = {};
    for (let i = 0; i < names.length; i++) params[names[i]!] = decode(values[i]!);
    if (route.wildcard) params["*"] = decode(path.slice(this.#wildcardStart));
    return { value: route.value, params };
  }

  /**
   * The methods that `find()` would serve at `path`, sorted, with `HEAD` wherever `GET` is; for
   * answering 405 with an `Allow` field (RFC 9110 §15.5.6). `["*"]` when a `"*"` route serves the
   * path (then no method gets 405); `[]` when nothing matches (answer 404).
   */
  allowed(path: string): string[] {
    const found: Handlers<T>[] = [];
    const handlers = this.#static.get(path);
    if (handlers !== undefined) found.push(handlers);
    if (path.charCodeAt(0) === 47 /* / */) collect(this.#root, path, 1, found);

    const methods = new Set<string>();
    for (const h of found) {
      if (h.any !== null) return ["*"];
      for (const method of h.byMethod.keys()) methods.add(method);
    }
    if (methods.has("GET")) methods.add("HEAD");
    return [...methods].sort();
  }

  /**
   * Depth-first search for the first route serving `method`: static child, then parameter, then
   * wildcard. `pos` is where the next segment starts (just after a "/"); `n` counts the parameter
   * values recorded on this branch.
   */
  #walk(node: Node<T>, path: string, pos: number, n: number, method: string): Route<T> | null {
    const length = path.length;
    let end = path.indexOf("/", pos);
    if (end === -1) end = length;
    let segment: string | null = null;

    const statics = node.statics;
    if (statics !== null) {
      let child: Node<T> | null | undefined;
      const onlyText = node.onlyText;
      if (onlyText !== null) {
        child = end - pos === onlyText.length && path.startsWith(onlyText, pos) ? node.onlyChild : null;
      } else {
        segment = path.slice(pos, end);
        child = statics.get(segment);
      }
      if (child !== undefined && child !== null) {
        const route = end === length
          ? (child.handlers === null ? null : child.handlers.get(method))
          : this.#walk(child, path, end + 1, n, method);
        if (route !== null) return route;
      }
    }

    const param = node.param;
    if (param !== null && end > pos) {
      this.#values[n] = segment ?? path.slice(pos, end);
      const route = end === length
        ? (param.handlers === null ? null : param.handlers.get(method))
        : this.#walk(param, path, end + 1, n + 1, method);
      if (route !== null) return route;
    }

    const wildcard = node.wildcard;
    if (wildcard !== null) {
      const route = wildcard.get(method);
      if (route !== null) {
        this.#wildcardStart = pos;
        return route;
      }
    }
    return null;
  }
}

/** Every terminal of the tree matching `path` from `pos`, for `allowed()`; not on the hot path. */
function collect<T>(node: Node<T>, path: string, pos: number, out: Handlers<T>[]): void {
  let end = path.indexOf("/", pos);
  if (end === -1) end = path.length;
  const last = end === path.length;
  const next: Node<T>[] = [];
  const child = node.statics?.get(path.slice(pos, end));
  if (child !== undefined) next.push(child);
  if (node.param !== null && end > pos) next.push(node.param);
  for (const n of next) {
    if (!last) collect(n, path, end + 1, out);
    else if (n.handlers !== null) out.push(n.handlers);
  }
  if (node.wildcard !== null) out.push(node.wildcard);
}

/** Where the last segment starts (its "/") when it is an optional parameter `:name?`, else -1. */
function optionalTail(pattern: string): number {
  if (typeof pattern !== "string" || !pattern.endsWith("?")) return -1;
  const slash = pattern.lastIndexOf("/");
  return slash !== -1 && pattern.charCodeAt(slash + 1) === 58 /* : */ ? slash : -1;
}

/** Validate a pattern and split it into segments (after the leading "/"). */
function parsePattern(pattern: string): string[] {
  const quoted = JSON.stringify(pattern);
  if (typeof pattern !== "string" || pattern.charCodeAt(0) !== 47 /* / */) {
    throw new Error(`Invalid route pattern ${quoted}: it must start with "/"`);
  }
  const segments = pattern.slice(1).split("/");
  const names = new Set<string>();
  let index = 1; // of the current segment in the pattern, for error messages
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const at = `${quoted} at index ${index}`;
    if (segment === "*") {
      if (i !== segments.length - 1) {
        throw new Error(`Invalid route pattern ${at}: "*" is only allowed as the last segment`);
      }
    } else if (segment.includes("*")) {
      throw new Error(`Invalid route pattern ${at}: "*" must be a whole segment`);
    } else if (segment.charCodeAt(0) === 58 /* : */) {
      const name = segment.slice(1);
      if (name === "") {
        throw new Error(`Invalid route pattern ${at}: empty parameter name`);
      }
      if (!PARAM_NAME.test(name) || name === "__proto__") {
        throw new Error(
          `Invalid route pattern ${at}: parameter name ${JSON.stringify(name)} ` +
            `must be letters, digits and "_"`,
        );
      }
      if (names.has(name)) {
        throw new Error(`Invalid route pattern ${at}: parameter ${JSON.stringify(name)} repeats`);
      }
      names.add(name);
    } else {
      // A static segment is compared with the raw path, so it must be something a raw path can
      // hold: RFC 3986 §3.3 pchar, with well-formed percent-escapes.
      if (!STATIC_SEGMENT_CHARS.test(segment)) {
        throw new Error(
          `Invalid route pattern ${at}: segment ${JSON.stringify(segment)} ` +
            `has a character not allowed in a path (RFC 3986 §3.3)`,
        );
      }
      for (let p = segment.indexOf("%"); p !== -1; p = segment.indexOf("%", p + 1)) {
        if (!HEX.test(segment.slice(p + 1, p + 3))) {
          throw new Error(`Invalid route pattern ${at}: malformed percent-escape`);
        }
      }
    }
    index += segment.length + 1;
  }
  return segments;
}

/** Percent-decode a parameter value; a malformed escape leaves the raw value. */
function decode(raw: string): string {
  if (raw.indexOf("%") === -1) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
