import { describe, expect, it } from "vitest";
import { BlockBuffer } from "./block-buffer.ts";
import { HpackDecoder } from "./decoder.ts";
import type { DynamicTable } from "./dynamic-table.ts";
import { HpackEncoder, type HuffmanMode } from "./encoder.ts";
import { STATIC_NAMES } from "./static-table.ts";

// Random header lists through encoder → decoder on one connection: every block must decode to
// its list, and after every block both dynamic tables must hold the same entries. Table sizes
// change between blocks the way SETTINGS_HEADER_TABLE_SIZE does: both sides learn the new value
// before the next block.

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function entries(t: DynamicTable): string[] {
  const out: string[] = [];
  for (let i = 1; i <= t.length; i++) out.push(t.name(i), t.value(i));
  return out;
}

function generator(random: () => number): () => string[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const names = [
    ...STATIC_NAMES.slice(1),
    "x-custom",
    "x-request-id",
    "x-forwarded-for",
    "cookie",
    "authorization",
    "set-cookie",
  ];
  const values = [
    "",
    "0",
    "GET",
    "200",
    "gzip, deflate",
    "text/html; charset=utf-8",
    "no-cache",
    "/",
    "/index.html",
    "https",
  ];
  const text = (len: number, binary: boolean): string => {
    let s = "";
    for (let i = 0; i < len; i++) {
      s += String.fromCharCode(binary ? Math.floor(random() * 256) : 0x20 + Math.floor(random() * 95));
    }
    return s;
  };
  return () => {
    const fields: string[] = [];
    const count = Math.floor(random() * 20);
    for (let i = 0; i < count; i++) {
      const r = random();
      const name = r < 0.1 ? text(1 + Math.floor(random() * 12), false).toLowerCase() : pick(names);
      let value: string;
      const v = random();
      if (v < 0.5) value = pick(values);
      else if (v < 0.8) value = text(Math.floor(random() * 40), false);
      else if (v < 0.95) value = text(Math.floor(random() * 40), true);
      else value = text(100 + Math.floor(random() * 3000), random() < 0.5);
      fields.push(name, value);
      if (random() < 0.3) values.push(value); // later blocks repeat some values
    }
    return fields;
  };
}

const SIZES = [0, 1, 32, 100, 256, 4096, 65536];

describe("random header lists, encoder → decoder", () => {
  for (const huffman of ["shorter", "always", "never"] as HuffmanMode[]) {
    for (const initial of [0, 256, 4096, 65536]) {
      it(`table ${initial}, huffman ${huffman}, sizes changing between blocks`, () => {
        const random = prng(initial * 31 + huffman.length);
        const encoder = new HpackEncoder({ maxTableSize: 4096, tableSizeLimit: 65536, huffman });
        const decoder = new HpackDecoder({ maxTableSize: 4096, maxHeaderListSize: 1 << 20 });
        const next = generator(random);
        const out = new BlockBuffer();
        let setting = 4096;
        const apply = (size: number): void => {
          setting = size;
          encoder.setMaxTableSize(size);
          decoder.setMaxTableSize(size);
        };
        apply(initial);
        for (let block = 0; block < 300; block++) {
          if (random() < 0.1) apply(SIZES[Math.floor(random() * SIZES.length)]!);
          if (random() < 0.03) {
            apply(0); // down and up again before a block: two updates
            apply(SIZES[Math.floor(random() * SIZES.length)]!);
          }
          const fields = next();
          out.reset();
          encoder.encode(fields, out);
          expect(decoder.decode(out.view())).toEqual(fields);
          expect(entries(decoder.table)).toEqual(entries(encoder.table));
          expect(decoder.table.size).toBe(encoder.table.size);
          expect(encoder.table.size).toBeLessThanOrEqual(setting);
        }
      });
    }
  }

  it("a shared decoder limit below the encoder's limit is respected through updates", () => {
    const random = prng(99);
    const encoder = new HpackEncoder({ maxTableSize: 100 });
    const decoder = new HpackDecoder({ maxTableSize: 100 });
    const next = generator(random);
    for (let block = 0; block < 200; block++) {
      const fields = next();
      expect(decoder.decode(encoder.encodeBlock(fields))).toEqual(fields);
      expect(decoder.table.size).toBeLessThanOrEqual(100);
    }
  });
});
