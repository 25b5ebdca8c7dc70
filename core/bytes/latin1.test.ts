import { describe, expect, it } from "vitest";
import { latin1 } from "./latin1.ts";

describe("latin1", () => {
  it("maps every octet to one character, at every length path", () => {
    for (const len of [0, 1, 2, 3, 4, 5, 12, 13, 100, 5000]) {
      for (const high of [false, true]) {
        const bytes = Uint8Array.from({ length: len + 2 }, (_, i) => (high ? (i * 37) & 0xff : 0x20 + ((i * 7) % 95)));
        const s = latin1(bytes, 1, len + 1);
        expect(s.length).toBe(len);
        for (let i = 0; i < len; i++) expect(s.charCodeAt(i)).toBe(bytes[i + 1]);
      }
    }
  });

  it("keeps 0x80–0x9F as U+0080–U+009F (not windows-1252)", () => {
    expect(latin1(Uint8Array.of(0x80, 0x9f, 0xff, 0x41, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0, 14).slice(0, 4)).toBe(
      "\u0080\u009f\u00ffA",
    );
  });
});
