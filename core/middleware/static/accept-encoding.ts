/**
 * Choosing a precompressed sibling by `Accept-Encoding` (RFC 9110 §12.5.3).
 * @module
 */

/** A precompressed variant: the content coding and the file-name suffix that holds it. */
export interface Precompressed {
  readonly coding: "br" | "gzip";
  readonly suffix: string;
}

/** In server preference order, for equal q-values: brotli is smaller. */
export const PRECOMPRESSED: readonly Precompressed[] = [
  { coding: "br", suffix: ".br" },
  { coding: "gzip", suffix: ".gz" },
];

/**
 * The codings of `PRECOMPRESSED` the client accepts, best first: by q-value (§12.4.2), ties in
 * server order. A coding listed with q=0 is refused; `*` covers codings not listed; `x-gzip` is
 * gzip (§8.4.1.3). Empty when the field is absent or accepts none.
 */
export function acceptedPrecompressed(field: string | undefined): Precompressed[] {
  if (field === undefined || field === "") return [];
  const q = new Map<string, number>();
  for (const element of field.split(",")) {
    const [name, ...params] = element.split(";");
    const coding = name!.trim().toLowerCase();
    if (coding === "") continue;
    let weight = 1;
    for (const param of params) {
      const [key, value] = param.split("=");
      if (key?.trim().toLowerCase() === "q" && value !== undefined) {
        const n = Number(value.trim());
        weight = Number.isFinite(n) && n >= 0 && n <= 1 ? n : 0;
      }
    }
    q.set(coding === "x-gzip" ? "gzip" : coding, weight);
  }
  const star = q.get("*");
  const ranked: { p: Precompressed; w: number; i: number }[] = [];
  PRECOMPRESSED.forEach((p, i) => {
    const w = q.get(p.coding) ?? star ?? 0;
    if (w > 0) ranked.push({ p, w, i });
  });
  ranked.sort((a, b) => b.w - a.w || a.i - b.i);
  return ranked.map((r) => r.p);
}
