import type { Context } from "../app/context.ts";

/**
 * Add a field name to the response's `Vary` (RFC 9110 §12.5.5), once: a cache then keys the
 * stored response on that request field. `Vary: *` already covers every field.
 */
export function addVary(c: Context, field: string): void {
  const current = c.getHeader("vary");
  if (current === undefined || current.trim() === "") {
    c.header("vary", field);
    return;
  }
  const wanted = field.toLowerCase();
  for (const part of current.split(",")) {
    const name = part.trim().toLowerCase();
    if (name === "*" || name === wanted) return;
  }
  c.header("vary", `${current}, ${field}`);
}
