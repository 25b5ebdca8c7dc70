// Frame serialization (RFC 9113 §4.1, §6): what the writer emits parses back to the same frame.
import { describe, expect, it } from "vitest";
import { ByteSink } from "../bytes/byte-sink.ts";
import { ErrorCode } from "./errors.ts";
import { newFrame, readFrameHeader } from "./frame-header.ts";
import { parseFrame } from "./frame-parsers.ts";
import { FLAG_END_HEADERS, FLAG_END_STREAM, FRAME_CONTINUATION, FRAME_HEADERS } from "./frame-types.ts";
import {
  writeData,
  writeGoaway,
  writeHeaderBlock,
  writePing,
  writeRstStream,
  writeSettingsAck,
  writeWindowUpdate,
} from "./frame-writer.ts";

function frames(bytes: Uint8Array): { type: number; flags: number; streamId: number; payload: number[] }[] {
  const out = [];
  let at = 0;
  while (at < bytes.length) {
    const f = newFrame();
    readFrameHeader(bytes, at, f);
    parseFrame(f, bytes, at + 9);
    out.push({
      type: f.type,
      flags: f.flags,
      streamId: f.streamId,
      payload: [...bytes.subarray(at + 9, at + 9 + f.length)],
    });
    at += 9 + f.length;
  }
  return out;
}

describe("frame writer", () => {
  it("writes control frames", () => {
    const sink = new ByteSink();
    writeSettingsAck(sink);
    writePing(sink, true, Uint8Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8), 1);
    writeRstStream(sink, 3, ErrorCode.CANCEL);
    writeWindowUpdate(sink, 0, 0x7fffffff);
    writeGoaway(sink, 7, ErrorCode.ENHANCE_YOUR_CALM, "calm");
    expect(frames(sink.take())).toEqual([
      { type: 4, flags: 1, streamId: 0, payload: [] },
      { type: 6, flags: 1, streamId: 0, payload: [1, 2, 3, 4, 5, 6, 7, 8] },
      { type: 3, flags: 0, streamId: 3, payload: [0, 0, 0, 8] },
      { type: 8, flags: 0, streamId: 0, payload: [0x7f, 0xff, 0xff, 0xff] },
      { type: 7, flags: 0, streamId: 0, payload: [0, 0, 0, 7, 0, 0, 0, 11, 0x63, 0x61, 0x6c, 0x6d] },
    ]);
  });

  it("writes DATA with and without END_STREAM", () => {
    const sink = new ByteSink();
    writeData(sink, 1, Uint8Array.of(9, 8, 7, 6), 1, 3, false);
    writeData(sink, 1, null, 0, 0, true);
    expect(frames(sink.take())).toEqual([
      { type: 0, flags: 0, streamId: 1, payload: [8, 7] },
      { type: 0, flags: FLAG_END_STREAM, streamId: 1, payload: [] },
    ]);
  });

  it("copies DATA payloads from the middle of a larger array, short (a loop) and long (set)", () => {
    const source = new Uint8Array(300).map((_, i) => (i * 7) & 0xff);
    const sink = new ByteSink();
    writeData(sink, 3, source, 10, 42, false); // 32 octets: the loop's limit
    writeData(sink, 3, source, 42, 75, false); // 33: set
    writeData(sink, 3, source, 100, 300, true);
    const out = frames(sink.take());
    expect(out.map((f) => f.payload)).toEqual([
      [...source.subarray(10, 42)],
      [...source.subarray(42, 75)],
      [...source.subarray(100, 300)],
    ]);
    source.fill(0); // the sink copied
    expect(out[2]!.payload[1]).toBe((101 * 7) & 0xff);
  });

  it("splits a field block into HEADERS + CONTINUATION with the flags where they belong (§4.3, §6.10)", () => {
    const sink = new ByteSink();
    const block = new Uint8Array(40000).map((_, i) => i & 0xff);
    writeHeaderBlock(sink, 5, block, 0, block.length, true, 16384);
    const out = frames(sink.take());
    expect(out.map((f) => [f.type, f.flags, f.payload.length])).toEqual([
      [FRAME_HEADERS, FLAG_END_STREAM, 16384],
      [FRAME_CONTINUATION, 0, 16384],
      [FRAME_CONTINUATION, FLAG_END_HEADERS, 40000 - 32768],
    ]);
    expect(out.flatMap((f) => f.payload)).toEqual([...block]);
  });

  it("writes a one-frame block in place when room was left for the header", () => {
    const sink = new ByteSink();
    const buf = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0x88);
    writeHeaderBlock(sink, 1, buf, 9, 10, false, 16384);
    expect(frames(sink.take())).toEqual([{
      type: FRAME_HEADERS,
      flags: FLAG_END_HEADERS,
      streamId: 1,
      payload: [0x88],
    }]);
  });
});
