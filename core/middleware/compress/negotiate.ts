/**
 * Content-coding negotiation (RFC 9110 §12.5.3): which coding, if any, to answer a request's
 * `Accept-Encoding` with, from the codings the server offers in its order of preference.
 * @module
 */
import type { ContentCoding } from "../../providers/compression-provider.ts";

/** A weight (RFC 9110 §12.4.2): `0` to `1` with at most three decimals. */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * The weight of each coding the header names (lowercased; `x-gzip` counts as `gzip`, §8.4.1.3),
 * `*` included. An element whose weight is malformed is ignored, as a list element that does not
 * parse; when a coding is named twice, the first element counts.
 */
export function parseAcceptEncoding(header: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const element of header.split(",")) {
    const semicolon = element.indexOf(";");
    let coding = (semicolon < 0 ? element : element.slice(0, semicolon)).trim().toLowerCase();
    if (coding === "") continue;
    if (coding === "x-gzip") coding = "gzip";
    let weight = 1;
    let valid = true;
    if (semicolon >= 0) {
      for (const param of element.slice(semicolon + 1).split(";")) {
        const eq = param.indexOf("=");
        if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== "q") continue;
        const value = param.slice(eq + 1).trim();
        if (QVALUE.test(value)) weight = Number(value);
        else valid = false;
      }
    }
    if (valid && !weights.has(coding)) weights.set(coding, weight);
  }
  return weights;
}

/**
 * The coding to answer with, or `null` for none (identity). `offered` is in the server's order of
 * preference, which breaks ties between equal weights. A coding the header does not name gets the
 * weight of `*`, or none at all; `q=0` refuses it. No coding is used when the client prefers
 * identity (named with a higher weight) to every offered one. A request with no `Accept-Encoding` gets identity: the RFC lets
 * any coding through then, but a client that says nothing may well not decode.
 * When identity is refused too (`identity;q=0` or `*;q=0`) and nothing offered is acceptable,
 * the answer is still identity (§12.5.3 allows it; a 406 would help nobody).
 */
export function negotiateEncoding(
  header: string | undefined,
  offered: readonly ContentCoding[],
): ContentCoding | null {
  if (header === undefined) return null;
  const weights = parseAcceptEncoding(header);
  const star = weights.get("*");
  let best: ContentCoding | null = null;
  let bestWeight = 0;
  for (const coding of offered) {
    const weight = weights.get(coding) ?? star ?? 0;
    if (weight > bestWeight) {
      best = coding;
      bestWeight = weight;
    }
  }
  if (best === null) return null;
  // A client may weigh identity above every coding it accepts (`identity;q=1, gzip;q=0.5`).
  const identity = weights.get("identity");
  return identity !== undefined && identity > bestWeight ? null : best;
}
