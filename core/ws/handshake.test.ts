import { describe, expect, it } from "vitest";
import { checkHandshake, computeAccept, type HandshakeRequest, handshakeResponse } from "./handshake.ts";

const KEY = "dGhlIHNhbXBsZSBub25jZQ==";

/** The RFC 6455 §1.2 client handshake, with fields replaced or removed by name. */
function request(
  changes: Record<string, string | string[] | null> = {},
  method = "GET",
  versionMinor = 1,
): HandshakeRequest {
  const fields: Record<string, string | string[] | null> = {
    host: "server.example.com",
    upgrade: "websocket",
    connection: "Upgrade",
    "sec-websocket-key": KEY,
    origin: "http://example.com",
    "sec-websocket-protocol": "chat, superchat",
    "sec-websocket-version": "13",
    ...changes,
  };
  const headers: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.push(name, v);
  }
  return { method, versionMinor, headers };
}

describe("computeAccept (RFC 6455 §4.2.2)", () => {
  it("§1.3 the worked example", () => expect(computeAccept(KEY)).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
  it("§4.2.2 another key", () =>
    expect(computeAccept("x3JJHMbDL1EzLkh9GBhXDw==")).toBe("HSmrc0sMlYUkAGmm5OPpG2HaGWk="));
});

interface Accepted {
  name: string;
  request: HandshakeRequest;
  protocols: string[];
  extensions?: unknown;
}

const accepted: Accepted[] = [
  { name: "§1.2 the example handshake", request: request(), protocols: ["chat", "superchat"] },
  {
    name: "§4.2.1 Upgrade is case-insensitive and may list other protocols",
    request: request({ upgrade: "h2c, WebSocket" }),
    protocols: ["chat", "superchat"],
  },
  {
    name: "§4.2.1 Connection lists tokens, case-insensitively, over several fields",
    request: request({ connection: ["keep-alive", "UPGRADE"] }),
    protocols: ["chat", "superchat"],
  },
  {
    name: "§4.2.1 Connection: keep-alive, Upgrade (Firefox)",
    request: request({ connection: "keep-alive, Upgrade" }),
    protocols: ["chat", "superchat"],
  },
  { name: "§4.2.1 no subprotocols", request: request({ "sec-websocket-protocol": null }), protocols: [] },
  {
    name: "§11.3.4 subprotocols over several fields, empty elements ignored",
    request: request({ "sec-websocket-protocol": ["a, ,b", "c"] }),
    protocols: ["a", "b", "c"],
  },
  {
    name: "§9.1 extension offers are parsed",
    request: request({ "sec-websocket-extensions": "permessage-deflate; client_max_window_bits, foo" }),
    protocols: ["chat", "superchat"],
    extensions: [
      { name: "permessage-deflate", params: [{ name: "client_max_window_bits", value: undefined }] },
      { name: "foo", params: [] },
    ],
  },
];

interface Rejected {
  name: string;
  request: HandshakeRequest;
  status: number;
  code: string;
  headers?: string[];
}

const rejected: Rejected[] = [
  {
    name: "§4.2.1 item 1: POST",
    request: request({}, "POST"),
    status: 405,
    code: "METHOD_NOT_GET",
    headers: ["allow", "GET"],
  },
  {
    name: "§4.2.1 item 1: methods are case-sensitive",
    request: request({}, "get"),
    status: 405,
    code: "METHOD_NOT_GET",
  },
  { name: "§4.2.1 item 1: HTTP/1.0", request: request({}, "GET", 0), status: 400, code: "HTTP_VERSION" },
  {
    name: "§4.2.1 item 3: no Upgrade",
    request: request({ upgrade: null }),
    status: 426,
    code: "UPGRADE_NOT_WEBSOCKET",
    headers: ["upgrade", "websocket", "connection", "Upgrade"],
  },
  {
    name: "§4.2.1 item 3: Upgrade: h2c",
    request: request({ upgrade: "h2c" }),
    status: 426,
    code: "UPGRADE_NOT_WEBSOCKET",
  },
  {
    name: "§4.2.1 item 3: websocket as a substring",
    request: request({ upgrade: "websockets" }),
    status: 426,
    code: "UPGRADE_NOT_WEBSOCKET",
  },
  {
    name: "§4.2.1 item 4: no Connection",
    request: request({ connection: null }),
    status: 400,
    code: "CONNECTION_NOT_UPGRADE",
  },
  {
    name: "§4.2.1 item 4: Connection: keep-alive",
    request: request({ connection: "keep-alive" }),
    status: 400,
    code: "CONNECTION_NOT_UPGRADE",
  },
  {
    name: "§4.4 version 8",
    request: request({ "sec-websocket-version": "8" }),
    status: 426,
    code: "UNSUPPORTED_VERSION",
    headers: ["sec-websocket-version", "13"],
  },
  {
    name: "§4.4 no version",
    request: request({ "sec-websocket-version": null }),
    status: 426,
    code: "UNSUPPORTED_VERSION",
  },
  {
    name: "§4.4 version listed twice",
    request: request({ "sec-websocket-version": ["13", "13"] }),
    status: 426,
    code: "UNSUPPORTED_VERSION",
  },
  {
    name: "§4.4 version 13 with leading zero",
    request: request({ "sec-websocket-version": "013" }),
    status: 426,
    code: "UNSUPPORTED_VERSION",
  },
  { name: "§4.2.1 item 5: no key", request: request({ "sec-websocket-key": null }), status: 400, code: "INVALID_KEY" },
  {
    name: "§4.2.1 item 5: key of 15 bytes",
    request: request({ "sec-websocket-key": "dGhlIHNhbXBsZSBub25j" }),
    status: 400,
    code: "INVALID_KEY",
  },
  {
    name: "§4.2.1 item 5: key of 17 bytes",
    request: request({ "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQE=" }),
    status: 400,
    code: "INVALID_KEY",
  },
  {
    name: "§4.2.1 item 5: key without padding",
    request: request({ "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ" }),
    status: 400,
    code: "INVALID_KEY",
  },
  {
    name: "§4.2.1 item 5: key with a non-base64 symbol",
    request: request({ "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZ-==" }),
    status: 400,
    code: "INVALID_KEY",
  },
  {
    name: "§11.3.1: the key twice",
    request: request({ "sec-websocket-key": [KEY, KEY] }),
    status: 400,
    code: "INVALID_KEY",
  },
  {
    name: "§4.2.1 item 8: a subprotocol that is not a token",
    request: request({ "sec-websocket-protocol": "chat, a b" }),
    status: 400,
    code: "INVALID_PROTOCOL",
  },
  {
    name: "§9.1: malformed extensions",
    request: request({ "sec-websocket-extensions": "permessage-deflate; =1" }),
    status: 400,
    code: "INVALID_EXTENSIONS",
  },
];

describe("checkHandshake: accepted (RFC 6455 §4.2.1)", () => {
  for (const c of accepted) {
    it(c.name, () => {
      const result = checkHandshake(c.request);
      expect(result).toEqual({
        ok: true,
        accept: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
        protocols: c.protocols,
        extensions: c.extensions ?? [],
      });
    });
  }
});

describe("checkHandshake: rejected with the HTTP answer (RFC 6455 §4.2.2, §4.4)", () => {
  for (const c of rejected) {
    it(`${c.name} → ${c.status}`, () => {
      const result = checkHandshake(c.request);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.status).toBe(c.status);
      expect(result.code).toBe(c.code);
      expect(result.reason).toMatch(/^[A-Z]/);
      if (c.headers) expect(result.headers).toEqual(c.headers);
    });
  }
});

describe("handshakeResponse (RFC 6455 §4.2.2 step 5)", () => {
  it("§1.3 the 101 head with a subprotocol and an extension", () => {
    expect(handshakeResponse("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "chat", "permessage-deflate")).toBe(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n" +
        "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n",
    );
  });

  it("no optional fields, extra headers appended", () => {
    expect(handshakeResponse("abc=", undefined, undefined, ["x-id", "7"])).toBe(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: abc=\r\nx-id: 7\r\n\r\n",
    );
  });

  it("refuses header injection and non-token subprotocols", () => {
    expect(() => handshakeResponse("a", "chat\r\nX: y")).toThrow(TypeError);
    expect(() => handshakeResponse("a", undefined, "x\r\nSet-Cookie: a")).toThrow(TypeError);
    expect(() => handshakeResponse("a", undefined, undefined, ["bad name", "v"])).toThrow(TypeError);
    expect(() => handshakeResponse("a", undefined, undefined, ["x", "v\n"])).toThrow(TypeError);
  });
});
