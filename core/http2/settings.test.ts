// SETTINGS parameters (RFC 9113 §6.5.2) and the HTTP2-Settings header (RFC 7540 §3.2.1).
import { describe, expect, it } from "vitest";
import { ConnectionError, ErrorCode } from "./errors.ts";
import {
  applySettings,
  decodeHttp2Settings,
  encodeSettings,
  PeerSettings,
  SETTINGS_ENABLE_PUSH,
  SETTINGS_HEADER_TABLE_SIZE,
  SETTINGS_INITIAL_WINDOW_SIZE,
  SETTINGS_MAX_CONCURRENT_STREAMS,
  SETTINGS_MAX_FRAME_SIZE,
  SETTINGS_MAX_HEADER_LIST_SIZE,
} from "./settings.ts";

function apply(entries: [number, number][]): PeerSettings {
  const peer = new PeerSettings();
  const payload = encodeSettings(entries);
  applySettings(peer, payload, 0, payload.length);
  return peer;
}

describe("SETTINGS parameters (RFC 9113 §6.5.2)", () => {
  it("starts from the initial values", () => {
    const peer = new PeerSettings();
    expect([peer.headerTableSize, peer.enablePush, peer.initialWindowSize, peer.maxFrameSize]).toEqual([
      4096,
      1,
      65535,
      16384,
    ]);
  });

  it.each(
    [
      ["HEADER_TABLE_SIZE", SETTINGS_HEADER_TABLE_SIZE, 0, "headerTableSize"],
      ["ENABLE_PUSH 0", SETTINGS_ENABLE_PUSH, 0, "enablePush"],
      ["MAX_CONCURRENT_STREAMS", SETTINGS_MAX_CONCURRENT_STREAMS, 7, "maxConcurrentStreams"],
      ["INITIAL_WINDOW_SIZE 2^31-1", SETTINGS_INITIAL_WINDOW_SIZE, 0x7fffffff, "initialWindowSize"],
      ["MAX_FRAME_SIZE 2^24-1", SETTINGS_MAX_FRAME_SIZE, 16777215, "maxFrameSize"],
      ["MAX_HEADER_LIST_SIZE", SETTINGS_MAX_HEADER_LIST_SIZE, 100, "maxHeaderListSize"],
    ] as const,
  )("accepts %s", (_name, id, value, key) => {
    expect(apply([[id, value]])[key]).toBe(value);
  });

  it.each(
    [
      ["ENABLE_PUSH 2", SETTINGS_ENABLE_PUSH, 2, ErrorCode.PROTOCOL_ERROR],
      ["INITIAL_WINDOW_SIZE 2^31", SETTINGS_INITIAL_WINDOW_SIZE, 0x80000000, ErrorCode.FLOW_CONTROL_ERROR],
      ["MAX_FRAME_SIZE 16383", SETTINGS_MAX_FRAME_SIZE, 16383, ErrorCode.PROTOCOL_ERROR],
      ["MAX_FRAME_SIZE 2^24", SETTINGS_MAX_FRAME_SIZE, 16777216, ErrorCode.PROTOCOL_ERROR],
    ] as const,
  )("refuses %s as a connection error", (_name, id, value, code) => {
    let error: unknown;
    try {
      apply([[id, value]]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).code).toBe(code);
  });

  it("ignores unknown identifiers and applies values in order (§6.5.3)", () => {
    const peer = apply([[0xabcd, 1], [SETTINGS_INITIAL_WINDOW_SIZE, 1], [SETTINGS_INITIAL_WINDOW_SIZE, 5]]);
    expect(peer.initialWindowSize).toBe(5);
  });
});

describe("HTTP2-Settings (RFC 7540 §3.2.1)", () => {
  it("decodes base64url without padding", () => {
    // MAX_CONCURRENT_STREAMS=100, INITIAL_WINDOW_SIZE=65535
    const bytes = decodeHttp2Settings("AAMAAABkAAQAAP__");
    expect(bytes).toEqual(encodeSettings([[3, 100], [4, 65535]]));
  });
  it("decodes an empty value to no settings", () => {
    expect(decodeHttp2Settings("")).toEqual(new Uint8Array(0));
  });
  it.each(["AAMAAABk+AQAAP//", "AAMAAA", "A", "AAMAAABkAAQAAP__x"])("refuses %j", (value) => {
    expect(decodeHttp2Settings(value)).toBeNull();
  });
});
