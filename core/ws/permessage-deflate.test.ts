import { describe, expect, it } from "vitest";
import {
  negotiatePerMessageDeflate,
  type PerMessageDeflateOptions,
  type PerMessageDeflateParams,
} from "./permessage-deflate.ts";
import { parseExtensions } from "./extension-header.ts";

interface Case {
  name: string;
  offer: string;
  options?: PerMessageDeflateOptions;
  /** The response header value, or null when every offer is declined. */
  response: string | null;
  params?: Partial<PerMessageDeflateParams>;
}

const DEFAULTS: PerMessageDeflateParams = {
  serverNoContextTakeover: false,
  clientNoContextTakeover: false,
  serverMaxWindowBits: 15,
  clientMaxWindowBits: 15,
};

const cases: Case[] = [
  {
    name: "§7 a bare offer is accepted as is",
    offer: "permessage-deflate",
    response: "permessage-deflate",
    params: {},
  },
  { name: "§9.1 no offers", offer: "", response: null },
  {
    name: "§5 other extensions are skipped",
    offer: "x-webkit-deflate-frame, permessage-deflate",
    response: "permessage-deflate",
  },
  { name: "§5 names compare exactly", offer: "PerMessage-Deflate", response: null },
  {
    name: "§7.1.1.1 an offered server_no_context_takeover is accepted",
    offer: "permessage-deflate; server_no_context_takeover",
    response: "permessage-deflate; server_no_context_takeover",
    params: { serverNoContextTakeover: true },
  },
  {
    name: "§7.1.1.1 the server may decide on its own not to take over context",
    offer: "permessage-deflate",
    options: { serverNoContextTakeover: true },
    response: "permessage-deflate; server_no_context_takeover",
    params: { serverNoContextTakeover: true },
  },
  {
    name: "§7.1.1.2 an offered client_no_context_takeover is echoed",
    offer: "permessage-deflate; client_no_context_takeover",
    response: "permessage-deflate; client_no_context_takeover",
    params: { clientNoContextTakeover: true },
  },
  {
    name: "§7.1.1.2 the server may require it from the client",
    offer: "permessage-deflate",
    options: { clientNoContextTakeover: true },
    response: "permessage-deflate; client_no_context_takeover",
    params: { clientNoContextTakeover: true },
  },
  {
    name: "§7.1.2.1 server_max_window_bits is accepted with the offered value",
    offer: "permessage-deflate; server_max_window_bits=10",
    response: "permessage-deflate; server_max_window_bits=10",
    params: { serverMaxWindowBits: 10 },
  },
  {
    name: "§7.1.2.1 ... or a smaller one",
    offer: "permessage-deflate; server_max_window_bits=12",
    options: { serverMaxWindowBits: 11 },
    response: "permessage-deflate; server_max_window_bits=11",
    params: { serverMaxWindowBits: 11 },
  },
  {
    name: "§7.1.2.1 the server may name its window unasked",
    offer: "permessage-deflate",
    options: { serverMaxWindowBits: 12 },
    response: "permessage-deflate; server_max_window_bits=12",
    params: { serverMaxWindowBits: 12 },
  },
  {
    name: "§7.1.2.1 an 8-bit server window is declined (zlib cannot raw-deflate with 8)",
    offer: "permessage-deflate; server_max_window_bits=8",
    response: null,
  },
  {
    name: "§7.1.3 the fallback offer is taken when the first is declined",
    offer:
      "permessage-deflate; client_max_window_bits; server_max_window_bits=8, permessage-deflate; client_max_window_bits",
    response: "permessage-deflate",
  },
  {
    name: "§7.1.2.2 client_max_window_bits without a value: omitted when we ask nothing",
    offer: "permessage-deflate; client_max_window_bits",
    response: "permessage-deflate",
    params: { clientMaxWindowBits: 15 },
  },
  {
    name: "§7.1.2.2 client_max_window_bits without a value: we may pick the client's window",
    offer: "permessage-deflate; client_max_window_bits",
    options: { clientMaxWindowBits: 10 },
    response: "permessage-deflate; client_max_window_bits=10",
    params: { clientMaxWindowBits: 10 },
  },
  {
    name: "§7.1.2.2 client_max_window_bits=8 is fine: inflating with 8 bits works",
    offer: "permessage-deflate; client_max_window_bits=8",
    response: "permessage-deflate; client_max_window_bits=8",
    params: { clientMaxWindowBits: 8 },
  },
  {
    name: "§7.1.2.2 an offered client value is never exceeded",
    offer: "permessage-deflate; client_max_window_bits=12",
    options: { clientMaxWindowBits: 14 },
    response: "permessage-deflate; client_max_window_bits=12",
    params: { clientMaxWindowBits: 12 },
  },
  {
    name: "§7.1.2.2 not offered: the response MUST NOT include client_max_window_bits",
    offer: "permessage-deflate",
    options: { clientMaxWindowBits: 10 },
    response: "permessage-deflate",
    params: { clientMaxWindowBits: 15 },
  },
  {
    name: "§7.1 all four parameters",
    offer:
      "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9; client_max_window_bits=9",
    response:
      "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9; client_max_window_bits=9",
    params: {
      serverNoContextTakeover: true,
      clientNoContextTakeover: true,
      serverMaxWindowBits: 9,
      clientMaxWindowBits: 9,
    },
  },
  {
    name: "§9.1 a quoted window value",
    offer: 'permessage-deflate; server_max_window_bits="10"',
    response: "permessage-deflate; server_max_window_bits=10",
  },
  // §7: "MUST decline" — then the next offer, if any, is considered.
  {
    name: "§7 an unknown parameter declines the offer",
    offer: "permessage-deflate; foo, permessage-deflate",
    response: "permessage-deflate",
  },
  { name: "§7 an unknown parameter only", offer: "permessage-deflate; foo=1", response: null },
  {
    name: "§7 a duplicate parameter",
    offer: "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
    response: null,
  },
  {
    name: "§7 a duplicate window parameter",
    offer: "permessage-deflate; client_max_window_bits; client_max_window_bits=10",
    response: null,
  },
  {
    name: "§7.1.1.1 server_no_context_takeover with a value",
    offer: "permessage-deflate; server_no_context_takeover=1",
    response: null,
  },
  {
    name: "§7.1.1.2 client_no_context_takeover with a value",
    offer: "permessage-deflate; client_no_context_takeover=true",
    response: null,
  },
  {
    name: "§7.1.2.1 server_max_window_bits without a value",
    offer: "permessage-deflate; server_max_window_bits",
    response: null,
  },
  {
    name: "§7.1.2.1 server_max_window_bits=16",
    offer: "permessage-deflate; server_max_window_bits=16",
    response: null,
  },
  { name: "§7.1.2.1 server_max_window_bits=7", offer: "permessage-deflate; server_max_window_bits=7", response: null },
  { name: "§7.1.2.1 a leading zero", offer: "permessage-deflate; server_max_window_bits=09", response: null },
  { name: "§7.1.2.2 client_max_window_bits=0", offer: "permessage-deflate; client_max_window_bits=0", response: null },
  {
    name: "§7.1.2.2 client_max_window_bits=abc",
    offer: "permessage-deflate; client_max_window_bits=abc",
    response: null,
  },
];

describe("negotiatePerMessageDeflate (RFC 7692 §5, §7.1)", () => {
  for (const c of cases) {
    it(c.name, () => {
      const result = negotiatePerMessageDeflate(parseExtensions(c.offer)!, c.options);
      if (c.response === null) {
        expect(result).toBeNull();
        return;
      }
      expect(result?.response).toBe(c.response);
      if (c.params) expect(result?.params).toEqual({ ...DEFAULTS, ...c.params });
      // The response itself parses as one offer (§9.1).
      expect(parseExtensions(result!.response)).toHaveLength(1);
    });
  }

  it("rejects out-of-range options", () => {
    expect(() => negotiatePerMessageDeflate([], { serverMaxWindowBits: 8 })).toThrow(RangeError);
    expect(() => negotiatePerMessageDeflate([], { clientMaxWindowBits: 16 })).toThrow(RangeError);
    expect(() => negotiatePerMessageDeflate([], { clientMaxWindowBits: 9.5 })).toThrow(RangeError);
  });
});
