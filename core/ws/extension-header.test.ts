import { describe, expect, it } from "vitest";
import { type ExtensionOffer, formatExtensions, parseExtensions } from "./extension-header.ts";

const ext = (name: string, ...params: [string, string?][]): ExtensionOffer => ({
  name,
  params: params.map(([n, v]) => ({ name: n, value: v })),
});

// RFC 6455 §9.1 grammar with RFC 9110 §5.6 list rules.
const valid: [string, string, ExtensionOffer[]][] = [
  ["§9.1 one extension", "permessage-deflate", [ext("permessage-deflate")]],
  ["§9.1 an empty value is an empty list", "", []],
  ["RFC 9110 §5.6.1 empty elements are ignored", " , permessage-deflate ,, ", [ext("permessage-deflate")]],
  [
    "RFC 7692 §7.1.3 parameters with and without values",
    "permessage-deflate; client_max_window_bits; server_max_window_bits=10",
    [ext("permessage-deflate", ["client_max_window_bits"], ["server_max_window_bits", "10"])],
  ],
  [
    "RFC 7692 §7.1.3 two offers, the second a fallback",
    "permessage-deflate;client_max_window_bits;server_max_window_bits=10, permessage-deflate;client_max_window_bits",
    [
      ext("permessage-deflate", ["client_max_window_bits"], ["server_max_window_bits", "10"]),
      ext("permessage-deflate", ["client_max_window_bits"]),
    ],
  ],
  ["§9.1 whitespace around ';' and '='", "x \t; a = 1 ;b", [ext("x", ["a", "1"], ["b"])]],
  ["§9.1 a quoted value that is a token", 'x; a="10"', [ext("x", ["a", "10"])]],
  ["RFC 9110 §5.6.4 quoted-pair in a quoted value", 'x; a="1\\0"', [ext("x", ["a", "10"])]],
];

const invalid: [string, string][] = [
  ["§9.1 a parameter without a name", "x; =1"],
  ["§9.1 an empty extension name before parameters", "; a"],
  ["§9.1 '=' without a value", "x; a="],
  ["§9.1 a quoted value that is not a token", 'x; a="1 0"'],
  ["§9.1 an empty quoted value", 'x; a=""'],
  ["§9.1 an unterminated quoted value", 'x; a="10'],
  ["§9.1 a non-token character in a name", "per/message"],
  ["§9.1 two names without a comma", "x y"],
  ["§9.1 a trailing ';'", "x;"],
];

describe("parseExtensions (RFC 6455 §9.1)", () => {
  for (const [name, value, offers] of valid) it(name, () => expect(parseExtensions(value)).toEqual(offers));
  for (const [name, value] of invalid) it(`${name} → null`, () => expect(parseExtensions(value)).toBeNull());
  it("formatExtensions writes what parseExtensions reads", () => {
    const offers = [
      ext("permessage-deflate", ["server_no_context_takeover"], ["client_max_window_bits", "12"]),
      ext("x"),
    ];
    const text = formatExtensions(offers);
    expect(text).toBe("permessage-deflate; server_no_context_takeover; client_max_window_bits=12, x");
    expect(parseExtensions(text)).toEqual(offers);
  });
});
