/**
 * Accept-Encoding negotiation (RFC 9110 §12.5.3) as a table: header in, coding out, for the
 * server's default order br > zstd > gzip > deflate unless the row says otherwise.
 */
import { describe, expect, it } from "vitest";
import type { ContentCoding } from "../../providers/compression-provider.ts";
import { negotiateEncoding, parseAcceptEncoding } from "./negotiate.ts";

const ALL: ContentCoding[] = ["br", "zstd", "gzip", "deflate"];

const CASES: [string, string | undefined, ContentCoding[], ContentCoding | null][] = [
  ["no header: identity (a client that says nothing may not decode)", undefined, ALL, null],
  ["empty header: identity only (§12.5.3)", "", ALL, null],
  ["one coding", "gzip", ALL, "gzip"],
  ["equal weights: the server's order breaks the tie", "gzip, deflate, br, zstd", ALL, "br"],
  ["browsers' usual list", "gzip, deflate, br", ALL, "br"],
  ["the server's order is configurable", "gzip, br", ["gzip", "br"], "gzip"],
  ["a higher weight wins over the server's order", "br;q=0.5, gzip;q=0.8", ALL, "gzip"],
  ["q=0 refuses a coding", "br;q=0, gzip", ALL, "gzip"],
  ["q=0.000 refuses too", "br;q=0.000, zstd;q=0.001", ALL, "zstd"],
  ["* matches what is not named", "*", ALL, "br"],
  ["* with a named coding refused", "br;q=0, *", ALL, "zstd"],
  ["*;q=0 with one coding allowed", "gzip;q=0.2, *;q=0", ALL, "gzip"],
  ["*;q=0 alone: nothing acceptable, identity", "*;q=0", ALL, null],
  ["identity preferred over a lower-weighted coding", "identity;q=1, gzip;q=0.5", ALL, null],
  ["identity;q=0 does not stop compression", "identity;q=0, deflate", ALL, "deflate"],
  ["a coding the server does not offer", "compress, zstd;q=0.1", ["gzip", "deflate"], null],
  ["x-gzip is gzip (§8.4.1.3)", "x-gzip", ALL, "gzip"],
  ["names and parameters are case-insensitive", "GZIP;Q=0.5, Deflate;q=0.4", ALL, "gzip"],
  ["whitespace around elements and parameters", "  br ; q=0.9 ,gzip;q=1  ", ALL, "gzip"],
  ["a malformed weight drops its element", "br;q=2, gzip;q=0.5", ALL, "gzip"],
  ["a malformed weight with four decimals", "br;q=0.1234", ALL, null],
  ["the first of a repeated coding counts", "gzip;q=0, gzip;q=1", ["gzip"], null],
  ["empty list elements are skipped", ",, gzip ,", ALL, "gzip"],
  ["parameters other than q are ignored", "gzip;level=9", ALL, "gzip"],
  ["nothing offered", "gzip", [], null],
];

describe("negotiateEncoding", () => {
  for (const [name, header, offered, expected] of CASES) {
    it(`${name}: ${JSON.stringify(header)} → ${expected ?? "identity"}`, () => {
      expect(negotiateEncoding(header, offered)).toBe(expected);
    });
  }
});

describe("parseAcceptEncoding", () => {
  it("gives each named coding its weight, * included", () => {
    expect([...parseAcceptEncoding("br;q=0.7, *;q=0.1, identity")]).toEqual([["br", 0.7], ["*", 0.1], ["identity", 1]]);
  });
});
