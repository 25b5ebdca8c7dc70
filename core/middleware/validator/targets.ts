import type { Context } from "../../app/context.ts";

/** The raw value of each target, as a function validator receives it. */
export interface TargetValues {
  json: unknown;
  query: Record<string, string | string[]>;
  param: Record<string, string>;
  header: Record<string, string>;
}

/** The parts of a request that `validator()` checks. */
export type ValidationTarget = keyof TargetValues;

/** The raw value of a target, as a function validator receives it. */
export type TargetInput<T extends ValidationTarget> = TargetValues[T];

/**
 * Where each target's raw value comes from. A new target (`form`, `cookie`) is its line here and
 * its line in {@link TargetValues}.
 */
export const TARGETS: { readonly [T in ValidationTarget]: (c: Context) => TargetValues[T] | Promise<TargetValues[T]> } =
  {
    json: readJson,
    query: readQuery,
    param: (c) => ({ ...c.params }),
    header: readHeaders,
  };

/** Why a target could not even be read: answered like a validation failure, with its own status. */
export class TargetError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = "TargetError";
    this.status = status;
  }
}

// RFC 8259 §11 application/json, and RFC 6839 §3.1 "+json" structured syntax suffixes.
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** The body as JSON: 415 for another media type, 400 for invalid JSON (413 past the body limit). */
async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header("content-type");
  if (type === undefined || !JSON_TYPE.test(type)) {
    // RFC 9110 §15.5.16: the content is in a format this route does not take.
    throw new TargetError(415, `Expected a JSON body (Content-Type: application/json), got ${type ?? "none"}`);
  }
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TargetError(400, `Request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** Query parameters: a name given once is a string, a repeated one an array in order. */
function readQuery(c: Context): Record<string, string | string[]> {
  const out = new Map<string, string | string[]>();
  for (const [name, value] of c.req.query) {
    const seen = out.get(name);
    if (seen === undefined) out.set(name, value);
    else if (typeof seen === "string") out.set(name, [seen, value]);
    else seen.push(value);
  }
  // fromEntries defines own properties, so a name like "__proto__" stays plain data.
  return Object.fromEntries(out);
}

/** Header fields by lowercase name; repeated fields joined as `c.req.header()` joins them. */
function readHeaders(c: Context): Record<string, string> {
  const names = new Set(c.req.rawHeaders.filter((_, i) => i % 2 === 0));
  names.add("host"); // HTTP/2 carries it as :authority (RFC 9113 §8.3.1)
  const out = new Map<string, string>();
  for (const name of names) {
    const value = c.req.header(name);
    if (value !== undefined) out.set(name, value);
  }
  return Object.fromEntries(out);
}
