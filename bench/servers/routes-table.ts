/** The route table of the routes-scaling scenario, shared by its server and the bench. */

/** Route i (0-based): even i → static `/api/r<i>/list`, odd i → parametric `/api/r<i>/items/:id`. */
export function routePattern(i: number): string {
  return i % 2 === 0 ? `/api/r${i}/list` : `/api/r${i}/items/:id`;
}

/** The path requested for a table of `n` routes: the parametric route nearest the middle. */
export function middleRoute(n: number): string {
  let i = Math.floor(n / 2);
  if (i % 2 === 0) i = Math.max(1, i - 1);
  return `/api/r${i}/items/4242`;
}
