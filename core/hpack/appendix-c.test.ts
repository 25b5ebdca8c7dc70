import { describe, expect, it } from "vitest";
import { HpackDecoder } from "./decoder.ts";
import { HpackEncoder, type HuffmanMode } from "./encoder.ts";
import type { DynamicTable } from "./dynamic-table.ts";

// RFC 7541 Appendix C.2–C.6, verbatim: each block's hex dump, the decoded header list, and the
// dynamic table after it (newest entry first) with its size. C.1 (integers) is in integer.test.ts.
// The encoder must produce the same octets, except where our policy differs on purpose: the
// RFC's encoder indexes `set-cookie`, ours never does (RFC 7541 §7.1.3), so C.5.3 and C.6.3 list
// our encoding beside the RFC's.

type Field = [string, string];

interface Step {
  section: string;
  hex: string;
  headers: Field[];
  /** Dynamic table after the block, newest first. */
  table: Field[];
  size: number;
  /** Never-indexed field positions (C.2.3). */
  sensitive?: number[];
  /** Our encoder's output and table, where its policy differs from the RFC's example encoder. */
  ours?: { hex: string; table: Field[]; size: number };
}

interface Series {
  section: string;
  maxTableSize: number;
  huffman: HuffmanMode;
  /** Steps decoded by one decoder in order (false: each by a fresh decoder). */
  connected: boolean;
  /** Whether the encoder reproduces the blocks (C.2 shows forms our policy would not pick). */
  encode: boolean;
  steps: Step[];
}

const REQ1: Field[] = [[":method", "GET"], [":scheme", "http"], [":path", "/"], [":authority", "www.example.com"]];
const REQ2: Field[] = [...REQ1, ["cache-control", "no-cache"]];
const REQ3: Field[] = [[":method", "GET"], [":scheme", "https"], [":path", "/index.html"], [
  ":authority",
  "www.example.com",
], ["custom-key", "custom-value"]];
const REQ_TABLE1: Field[] = [[":authority", "www.example.com"]];
const REQ_TABLE2: Field[] = [["cache-control", "no-cache"], [":authority", "www.example.com"]];
const REQ_TABLE3: Field[] = [["custom-key", "custom-value"], ["cache-control", "no-cache"], [
  ":authority",
  "www.example.com",
]];

const RES1: Field[] = [[":status", "302"], ["cache-control", "private"], ["date", "Mon, 21 Oct 2013 20:13:21 GMT"], [
  "location",
  "https://www.example.com",
]];
const RES2: Field[] = [[":status", "307"], ["cache-control", "private"], ["date", "Mon, 21 Oct 2013 20:13:21 GMT"], [
  "location",
  "https://www.example.com",
]];
const RES3: Field[] = [
  [":status", "200"],
  ["cache-control", "private"],
  ["date", "Mon, 21 Oct 2013 20:13:22 GMT"],
  ["location", "https://www.example.com"],
  ["content-encoding", "gzip"],
  ["set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"],
];
const RES_TABLE1: Field[] = [["location", "https://www.example.com"], ["date", "Mon, 21 Oct 2013 20:13:21 GMT"], [
  "cache-control",
  "private",
], [":status", "302"]];
const RES_TABLE2: Field[] = [[":status", "307"], ["location", "https://www.example.com"], [
  "date",
  "Mon, 21 Oct 2013 20:13:21 GMT",
], ["cache-control", "private"]];
const RES_TABLE3: Field[] = [["set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"], [
  "content-encoding",
  "gzip",
], ["date", "Mon, 21 Oct 2013 20:13:22 GMT"]];
/** Our table after the third response: `set-cookie` went never indexed, so nothing older was evicted for it. */
const OUR_RES_TABLE3: Field[] = [["content-encoding", "gzip"], ["date", "Mon, 21 Oct 2013 20:13:22 GMT"], [
  ":status",
  "307",
], ["location", "https://www.example.com"]];

const SERIES: Series[] = [
  {
    section: "C.2",
    maxTableSize: 4096,
    huffman: "never",
    connected: false,
    encode: false,
    steps: [
      {
        section: "C.2.1 Literal Header Field with Indexing",
        hex: `400a 6375 7374 6f6d 2d6b 6579 0d63 7573
              746f 6d2d 6865 6164 6572`,
        headers: [["custom-key", "custom-header"]],
        table: [["custom-key", "custom-header"]],
        size: 55,
      },
      {
        section: "C.2.2 Literal Header Field without Indexing",
        hex: "040c 2f73 616d 706c 652f 7061 7468",
        headers: [[":path", "/sample/path"]],
        table: [],
        size: 0,
      },
      {
        section: "C.2.3 Literal Header Field Never Indexed",
        hex: `1008 7061 7373 776f 7264 0673 6563 7265
              74`,
        headers: [["password", "secret"]],
        table: [],
        size: 0,
        sensitive: [0],
      },
      {
        section: "C.2.4 Indexed Header Field",
        hex: "82",
        headers: [[":method", "GET"]],
        table: [],
        size: 0,
      },
    ],
  },
  {
    section: "C.3 Request Examples without Huffman Coding",
    maxTableSize: 4096,
    huffman: "never",
    connected: true,
    encode: true,
    steps: [
      {
        section: "C.3.1 First Request",
        hex: `8286 8441 0f77 7777 2e65 7861 6d70 6c65
              2e63 6f6d`,
        headers: REQ1,
        table: REQ_TABLE1,
        size: 57,
      },
      {
        section: "C.3.2 Second Request",
        hex: "8286 84be 5808 6e6f 2d63 6163 6865",
        headers: REQ2,
        table: REQ_TABLE2,
        size: 110,
      },
      {
        section: "C.3.3 Third Request",
        hex: `8287 85bf 400a 6375 7374 6f6d 2d6b 6579
              0c63 7573 746f 6d2d 7661 6c75 65`,
        headers: REQ3,
        table: REQ_TABLE3,
        size: 164,
      },
    ],
  },
  {
    section: "C.4 Request Examples with Huffman Coding",
    maxTableSize: 4096,
    huffman: "always",
    connected: true,
    encode: true,
    steps: [
      {
        section: "C.4.1 First Request",
        hex: `8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4
              ff`,
        headers: REQ1,
        table: REQ_TABLE1,
        size: 57,
      },
      {
        section: "C.4.2 Second Request",
        hex: "8286 84be 5886 a8eb 1064 9cbf",
        headers: REQ2,
        table: REQ_TABLE2,
        size: 110,
      },
      {
        section: "C.4.3 Third Request",
        hex: `8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925
              a849 e95b b8e8 b4bf`,
        headers: REQ3,
        table: REQ_TABLE3,
        size: 164,
      },
    ],
  },
  {
    section: "C.5 Response Examples without Huffman Coding",
    maxTableSize: 256,
    huffman: "never",
    connected: true,
    encode: true,
    steps: [
      {
        section: "C.5.1 First Response",
        hex: `4803 3330 3258 0770 7269 7661 7465 611d
              4d6f 6e2c 2032 3120 4f63 7420 3230 3133
              2032 303a 3133 3a32 3120 474d 546e 1768
              7474 7073 3a2f 2f77 7777 2e65 7861 6d70
              6c65 2e63 6f6d`,
        headers: RES1,
        table: RES_TABLE1,
        size: 222,
      },
      {
        section: "C.5.2 Second Response",
        hex: "4803 3330 37c1 c0bf",
        headers: RES2,
        table: RES_TABLE2,
        size: 222,
      },
      {
        section: "C.5.3 Third Response",
        hex: `88c1 611d 4d6f 6e2c 2032 3120 4f63 7420
              3230 3133 2032 303a 3133 3a32 3220 474d
              54c0 5a04 677a 6970 7738 666f 6f3d 4153
              444a 4b48 514b 425a 584f 5157 454f 5049
              5541 5851 5745 4f49 553b 206d 6178 2d61
              6765 3d33 3630 303b 2076 6572 7369 6f6e
              3d31`,
        headers: RES3,
        table: RES_TABLE3,
        size: 215,
        // `set-cookie` (static name 55) as 1f28 (never indexed, 4-bit prefix) instead of 77.
        ours: {
          hex: `88c1 611d 4d6f 6e2c 2032 3120 4f63 7420
                3230 3133 2032 303a 3133 3a32 3220 474d
                54c0 5a04 677a 6970 1f28 38 666f 6f3d 4153
                444a 4b48 514b 425a 584f 5157 454f 5049
                5541 5851 5745 4f49 553b 206d 6178 2d61
                6765 3d33 3630 303b 2076 6572 7369 6f6e
                3d31`,
          table: OUR_RES_TABLE3,
          size: 222,
        },
      },
    ],
  },
  {
    section: "C.6 Response Examples with Huffman Coding",
    maxTableSize: 256,
    huffman: "always",
    connected: true,
    encode: true,
    steps: [
      {
        section: "C.6.1 First Response",
        hex: `4882 6402 5885 aec3 771a 4b61 96d0 7abe
              9410 54d4 44a8 2005 9504 0b81 66e0 82a6
              2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8
              e9ae 82ae 43d3`,
        headers: RES1,
        table: RES_TABLE1,
        size: 222,
      },
      {
        section: "C.6.2 Second Response",
        hex: "4883 640e ffc1 c0bf",
        headers: RES2,
        table: RES_TABLE2,
        size: 222,
      },
      {
        section: "C.6.3 Third Response",
        hex: `88c1 6196 d07a be94 1054 d444 a820 0595
              040b 8166 e084 a62d 1bff c05a 839b d9ab
              77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b
              3960 d5af 2708 7f36 72c1 ab27 0fb5 291f
              9587 3160 65c0 03ed 4ee5 b106 3d50 07`,
        headers: RES3,
        table: RES_TABLE3,
        size: 215,
        ours: {
          hex: `88c1 6196 d07a be94 1054 d444 a820 0595
                040b 8166 e084 a62d 1bff c05a 839b d9ab
                1f28 ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b
                3960 d5af 2708 7f36 72c1 ab27 0fb5 291f
                9587 3160 65c0 03ed 4ee5 b106 3d50 07`,
          table: OUR_RES_TABLE3,
          size: 222,
        },
      },
    ],
  },
];

function hex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, "");
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

function flat(fields: Field[]): string[] {
  return fields.flat();
}

function entries(t: DynamicTable): Field[] {
  const out: Field[] = [];
  for (let i = 1; i <= t.length; i++) out.push([t.name(i), t.value(i)]);
  return out;
}

describe("RFC 7541 Appendix C: decoding", () => {
  for (const series of SERIES) {
    describe(series.section, () => {
      const shared = new HpackDecoder({ maxTableSize: series.maxTableSize });
      for (const step of series.steps) {
        it(step.section, () => {
          const decoder = series.connected ? shared : new HpackDecoder({ maxTableSize: series.maxTableSize });
          expect(decoder.decode(hex(step.hex))).toEqual(flat(step.headers));
          expect(entries(decoder.table)).toEqual(step.table);
          expect(decoder.table.size).toBe(step.size);
          expect(decoder.sensitive).toEqual(step.sensitive ?? []);
        });
      }
    });
  }
});

describe("RFC 7541 Appendix C: encoding", () => {
  for (const series of SERIES.filter((s) => s.encode)) {
    describe(series.section, () => {
      const encoder = new HpackEncoder({ maxTableSize: series.maxTableSize, huffman: series.huffman });
      const decoder = new HpackDecoder({ maxTableSize: series.maxTableSize });
      for (const step of series.steps) {
        it(step.section + (step.ours ? " (set-cookie never indexed)" : ""), () => {
          const expected = step.ours ?? step;
          const block = encoder.encodeBlock(flat(step.headers));
          expect(toHex(block)).toBe(toHex(hex(expected.hex)));
          expect(entries(encoder.table)).toEqual(expected.table);
          expect(encoder.table.size).toBe(expected.size);
          // Our own blocks decode to the same list and leave the decoder's table identical.
          expect(decoder.decode(block)).toEqual(flat(step.headers));
          expect(entries(decoder.table)).toEqual(expected.table);
        });
      }
    });
  }

  it("C.4 with the default mode gives the same octets: Huffman is shorter for every literal there", () => {
    const encoder = new HpackEncoder();
    for (const step of SERIES[2]!.steps) {
      expect(toHex(encoder.encodeBlock(flat(step.headers)))).toBe(toHex(hex(step.hex)));
    }
  });
});
