// Frame parsers (RFC 9113 §6): one table, bytes in → parsed fields or the exact error out.
import { describe, expect, it } from "vitest";
import { ConnectionError, ErrorCode, StreamError } from "./errors.ts";
import { newFrame, readFrameHeader } from "./frame-header.ts";
import { parseFrame } from "./frame-parsers.ts";
import {
  FLAG_ACK,
  FLAG_END_HEADERS,
  FLAG_PADDED,
  FLAG_PRIORITY,
  FRAME_CONTINUATION,
  FRAME_DATA,
  FRAME_GOAWAY,
  FRAME_HEADERS,
  FRAME_PING,
  FRAME_PRIORITY,
  FRAME_PUSH_PROMISE,
  FRAME_RST_STREAM,
  FRAME_SETTINGS,
  FRAME_WINDOW_UPDATE,
} from "./frame-types.ts";
import { frame } from "../../test/support/h2-test-peer.ts";

type Expect =
  | { ok: Record<string, unknown> }
  | { connection: number }
  | { stream: number };

const { PROTOCOL_ERROR, FRAME_SIZE_ERROR } = ErrorCode;

const cases: [string, string, Uint8Array, Expect][] = [
  // §6.1 DATA
  ["§6.1", "DATA", frame(FRAME_DATA, 0, 1, [1, 2, 3]), { ok: { start: 9, end: 12, padding: 0 } }],
  ["§6.1", "DATA on stream 0", frame(FRAME_DATA, 0, 0, [1]), { connection: PROTOCOL_ERROR }],
  ["§6.1", "padded DATA", frame(FRAME_DATA, FLAG_PADDED, 1, [2, 7, 7, 0, 0]), {
    ok: { start: 10, end: 12, padding: 3 },
  }],
  ["§6.1", "padding fills the payload", frame(FRAME_DATA, FLAG_PADDED, 1, [4, 0, 0, 0]), {
    connection: PROTOCOL_ERROR,
  }],
  ["§6.1", "padding larger than the payload", frame(FRAME_DATA, FLAG_PADDED, 1, [9, 1]), {
    connection: PROTOCOL_ERROR,
  }],
  ["§4.2", "padded DATA without Pad Length", frame(FRAME_DATA, FLAG_PADDED, 1, []), { connection: FRAME_SIZE_ERROR }],
  ["§6.1", "padding only (empty data)", frame(FRAME_DATA, FLAG_PADDED, 1, [0]), {
    ok: { start: 10, end: 10, padding: 1 },
  }],
  // §6.2 HEADERS
  ["§6.2", "HEADERS", frame(FRAME_HEADERS, FLAG_END_HEADERS, 1, [0x82]), { ok: { start: 9, end: 10, deferred: null } }],
  ["§6.2", "HEADERS on stream 0", frame(FRAME_HEADERS, FLAG_END_HEADERS, 0, [0x82]), { connection: PROTOCOL_ERROR }],
  ["§6.2", "padded HEADERS", frame(FRAME_HEADERS, FLAG_END_HEADERS | FLAG_PADDED, 1, [1, 0x82, 0]), {
    ok: { start: 10, end: 11 },
  }],
  ["§6.2", "padding exceeds the fragment", frame(FRAME_HEADERS, FLAG_END_HEADERS | FLAG_PADDED, 1, [3, 0x82, 0]), {
    connection: PROTOCOL_ERROR,
  }],
  ["§6.2", "padding exactly the rest", frame(FRAME_HEADERS, FLAG_END_HEADERS | FLAG_PADDED, 1, [2, 0, 0]), {
    ok: { start: 10, end: 10 },
  }],
  [
    "§6.2",
    "HEADERS with priority",
    frame(FRAME_HEADERS, FLAG_END_HEADERS | FLAG_PRIORITY, 3, [0x80, 0, 0, 1, 255, 0x82]),
    { ok: { dependency: 1, exclusive: true, weight: 256, start: 14, end: 15 } },
  ],
  ["§4.2", "priority flag, too short", frame(FRAME_HEADERS, FLAG_END_HEADERS | FLAG_PRIORITY, 3, [0, 0, 0]), {
    connection: FRAME_SIZE_ERROR,
  }],
  // §5.3.1: deferred until the block is decoded, so HPACK stays in step.
  [
    "§5.3.1",
    "HEADERS depending on itself",
    frame(FRAME_HEADERS, FLAG_END_HEADERS | FLAG_PRIORITY, 3, [0, 0, 0, 3, 15, 0x82]),
    { ok: { deferredCode: PROTOCOL_ERROR } },
  ],
  // §6.3 PRIORITY
  ["§6.3", "PRIORITY", frame(FRAME_PRIORITY, 0, 3, [0, 0, 0, 1, 15]), {
    ok: { dependency: 1, weight: 16, exclusive: false },
  }],
  ["§6.3", "PRIORITY on stream 0", frame(FRAME_PRIORITY, 0, 0, [0, 0, 0, 1, 15]), { connection: PROTOCOL_ERROR }],
  ["§6.3", "PRIORITY of 4 octets", frame(FRAME_PRIORITY, 0, 3, [0, 0, 0, 1]), { stream: FRAME_SIZE_ERROR }],
  ["§6.3", "PRIORITY of 6 octets", frame(FRAME_PRIORITY, 0, 3, [0, 0, 0, 1, 1, 1]), { stream: FRAME_SIZE_ERROR }],
  ["§5.3.1", "PRIORITY depending on itself", frame(FRAME_PRIORITY, 0, 3, [0, 0, 0, 3, 15]), { stream: PROTOCOL_ERROR }],
  // §6.4 RST_STREAM
  ["§6.4", "RST_STREAM", frame(FRAME_RST_STREAM, 0, 1, [0, 0, 0, 8]), { ok: { errorCode: 8 } }],
  ["§6.4", "RST_STREAM on stream 0", frame(FRAME_RST_STREAM, 0, 0, [0, 0, 0, 8]), { connection: PROTOCOL_ERROR }],
  ["§6.4", "RST_STREAM of 3 octets", frame(FRAME_RST_STREAM, 0, 1, [0, 0, 8]), { connection: FRAME_SIZE_ERROR }],
  // §6.5 SETTINGS
  ["§6.5", "SETTINGS", frame(FRAME_SETTINGS, 0, 0, [0, 4, 0, 0, 0, 1]), { ok: { start: 9, end: 15 } }],
  ["§6.5", "SETTINGS on stream 1", frame(FRAME_SETTINGS, 0, 1, []), { connection: PROTOCOL_ERROR }],
  ["§6.5", "SETTINGS ACK with payload", frame(FRAME_SETTINGS, FLAG_ACK, 0, [0, 4, 0, 0, 0, 1]), {
    connection: FRAME_SIZE_ERROR,
  }],
  ["§6.5", "SETTINGS of 5 octets", frame(FRAME_SETTINGS, 0, 0, [0, 4, 0, 0, 0]), { connection: FRAME_SIZE_ERROR }],
  // §6.6 / §8.4 PUSH_PROMISE
  ["§8.4", "PUSH_PROMISE from a client", frame(FRAME_PUSH_PROMISE, FLAG_END_HEADERS, 1, [0, 0, 0, 2, 0x82]), {
    connection: PROTOCOL_ERROR,
  }],
  // §6.7 PING
  ["§6.7", "PING", frame(FRAME_PING, 0, 0, [1, 2, 3, 4, 5, 6, 7, 8]), { ok: { start: 9, end: 17 } }],
  ["§6.7", "PING on stream 1", frame(FRAME_PING, 0, 1, [1, 2, 3, 4, 5, 6, 7, 8]), { connection: PROTOCOL_ERROR }],
  ["§6.7", "PING of 7 octets", frame(FRAME_PING, 0, 0, [1, 2, 3, 4, 5, 6, 7]), { connection: FRAME_SIZE_ERROR }],
  // §6.8 GOAWAY
  ["§6.8", "GOAWAY", frame(FRAME_GOAWAY, 0, 0, [0x80, 0, 0, 5, 0, 0, 0, 2, 0x68, 0x69]), {
    ok: { value: 5, errorCode: 2, start: 17, end: 19 },
  }],
  ["§6.8", "GOAWAY on stream 1", frame(FRAME_GOAWAY, 0, 1, [0, 0, 0, 0, 0, 0, 0, 0]), { connection: PROTOCOL_ERROR }],
  ["§6.8", "GOAWAY of 7 octets", frame(FRAME_GOAWAY, 0, 0, [0, 0, 0, 0, 0, 0, 0]), { connection: FRAME_SIZE_ERROR }],
  // §6.9 WINDOW_UPDATE
  ["§6.9", "WINDOW_UPDATE", frame(FRAME_WINDOW_UPDATE, 0, 1, [0x80, 0, 1, 0]), { ok: { value: 256 } }],
  ["§6.9", "WINDOW_UPDATE of 0 on a stream", frame(FRAME_WINDOW_UPDATE, 0, 1, [0, 0, 0, 0]), {
    stream: PROTOCOL_ERROR,
  }],
  ["§6.9", "WINDOW_UPDATE of 0 on the connection", frame(FRAME_WINDOW_UPDATE, 0, 0, [0, 0, 0, 0]), {
    connection: PROTOCOL_ERROR,
  }],
  ["§6.9", "WINDOW_UPDATE of 3 octets", frame(FRAME_WINDOW_UPDATE, 0, 1, [0, 0, 1]), { connection: FRAME_SIZE_ERROR }],
  // §6.10 CONTINUATION
  ["§6.10", "CONTINUATION", frame(FRAME_CONTINUATION, FLAG_END_HEADERS, 1, [0x82]), { ok: { start: 9, end: 10 } }],
  ["§6.10", "CONTINUATION on stream 0", frame(FRAME_CONTINUATION, FLAG_END_HEADERS, 0, [0x82]), {
    connection: PROTOCOL_ERROR,
  }],
  // §5.5 unknown types are ignored; §4.1 unknown flags ignored
  ["§5.5", "unknown type 0x20", frame(0x20, 0xff, 7, [1, 2]), { ok: { start: 9, end: 11 } }],
  ["§4.1", "undefined flags on PING", frame(FRAME_PING, 0xfe, 0, [0, 0, 0, 0, 0, 0, 0, 0]), { ok: { flags: 0xfe } }],
];

describe("frame parsers (RFC 9113 §6)", () => {
  it.each(cases)("%s %s", (_section, _name, bytes, expected) => {
    const f = newFrame();
    readFrameHeader(bytes, 0, f);
    let error: unknown = null;
    try {
      parseFrame(f, bytes, 9);
    } catch (e) {
      error = e;
    }
    if ("ok" in expected) {
      expect(error).toBeNull();
      for (const [key, value] of Object.entries(expected.ok)) {
        if (key === "deferredCode") expect(f.deferred?.code).toBe(value);
        else expect((f as unknown as Record<string, unknown>)[key]).toEqual(value);
      }
    } else if ("connection" in expected) {
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as ConnectionError).code).toBe(expected.connection);
      expect((error as Error).message).toMatch(/RFC 9113 §/);
    } else {
      expect(error).toBeInstanceOf(StreamError);
      expect((error as StreamError).code).toBe(expected.stream);
      expect((error as StreamError).streamId).toBe(f.streamId);
    }
  });

  it("reads the header fields and masks the reserved bit (§4.1)", () => {
    const bytes = frame(FRAME_DATA, 0x1, 5, [9]);
    bytes[5]! |= 0x80;
    const f = newFrame();
    readFrameHeader(bytes, 0, f);
    expect([f.length, f.type, f.flags, f.streamId]).toEqual([1, FRAME_DATA, 1, 5]);
  });
});
