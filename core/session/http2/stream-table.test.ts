// The answer to a frame on a stream that is not open (RFC 9113 §5.1, §5.1.1, §5.4.2, §6.8),
// and the bounded memory of closed streams.
import { describe, expect, it } from "vitest";
import { ConnectionError, ErrorCode, StreamError } from "../../http2/errors.ts";
import {
  FRAME_DATA,
  FRAME_HEADERS,
  FRAME_PRIORITY,
  FRAME_RST_STREAM,
  FRAME_WINDOW_UPDATE,
} from "../../http2/frame-types.ts";
import { Http2Stream } from "./stream.ts";
import { CLOSED_ENDED, CLOSED_RESET_RECEIVED, CLOSED_RESET_SENT, StreamTable } from "./stream-table.ts";

const host = { bodyConsumed(): void {}, bodyDiscarded(): void {} };

/** A table where stream `id` was opened and then closed in the given way. */
function closedAs(id: number, kind: number): StreamTable {
  const table = new StreamTable(100);
  expect(table.claim(id)).toBe(true);
  const stream = new Http2Stream(id, host, 65535, 65535, 0);
  table.add(stream);
  expect(table.remove(stream, kind)).toBe(true);
  return table;
}

/** What `checkUntracked` does: "ignored", or the error's kind and code. */
function verdict(table: StreamTable, id: number, type: number): string {
  try {
    table.checkUntracked(id, type);
    return "ignored";
  } catch (error) {
    if (error instanceof ConnectionError) return `connection ${error.code}`;
    if (error instanceof StreamError) return `stream ${error.code}`;
    throw error;
  }
}

const { PROTOCOL_ERROR, STREAM_CLOSED } = ErrorCode;

describe("frames on streams that are not open", () => {
  const cases: [string, StreamTable, number, number, string][] = [
    // §5.1 idle: anything but HEADERS/PRIORITY is a connection PROTOCOL_ERROR.
    ["DATA on an idle stream (§5.1)", closedAs(1, CLOSED_ENDED), 3, FRAME_DATA, `connection ${PROTOCOL_ERROR}`],
    [
      "WINDOW_UPDATE on an idle stream (§5.1)",
      new StreamTable(100),
      1,
      FRAME_WINDOW_UPDATE,
      `connection ${PROTOCOL_ERROR}`,
    ],
    ["an even stream id (§5.1.1)", closedAs(5, CLOSED_ENDED), 2, FRAME_DATA, `connection ${PROTOCOL_ERROR}`],
    // §5.4.2, §6.4: after our RST_STREAM, whatever the peer had in flight is dropped.
    ["DATA after our RST_STREAM (§5.4.2)", closedAs(1, CLOSED_RESET_SENT), 1, FRAME_DATA, "ignored"],
    ["HEADERS after our RST_STREAM (§5.4.2)", closedAs(1, CLOSED_RESET_SENT), 1, FRAME_HEADERS, "ignored"],
    // §5.1 closed: WINDOW_UPDATE, RST_STREAM and PRIORITY may still come.
    ["WINDOW_UPDATE after both END_STREAMs (§5.1)", closedAs(1, CLOSED_ENDED), 1, FRAME_WINDOW_UPDATE, "ignored"],
    ["RST_STREAM after both END_STREAMs (§5.1)", closedAs(1, CLOSED_ENDED), 1, FRAME_RST_STREAM, "ignored"],
    ["PRIORITY after the peer's RST_STREAM (§5.1)", closedAs(1, CLOSED_RESET_RECEIVED), 1, FRAME_PRIORITY, "ignored"],
    // §5.1 closed: anything else after the peer's RST_STREAM is a stream STREAM_CLOSED.
    [
      "DATA after the peer's RST_STREAM (§5.1)",
      closedAs(1, CLOSED_RESET_RECEIVED),
      1,
      FRAME_DATA,
      `stream ${STREAM_CLOSED}`,
    ],
    // §5.1 closed: DATA after both END_STREAMs may end the connection with STREAM_CLOSED.
    ["DATA after both END_STREAMs (§5.1)", closedAs(1, CLOSED_ENDED), 1, FRAME_DATA, `connection ${STREAM_CLOSED}`],
  ];
  for (const [name, table, id, type, expected] of cases) {
    it(name, () => expect(verdict(table, id, type)).toBe(expected));
  }

  it("a HEADERS below the highest id on a stream never opened is a PROTOCOL_ERROR (§5.1.1)", () => {
    const table = new StreamTable(100);
    expect(table.claim(7)).toBe(true);
    expect(table.claim(5)).toBe(false);
    expect(verdict(table, 5, FRAME_HEADERS)).toBe(`connection ${PROTOCOL_ERROR}`);
  });

  it("a stream ignored after GOAWAY drops its late frames (§6.8)", () => {
    const table = new StreamTable(100);
    expect(table.claim(9)).toBe(true);
    table.ignore(9);
    expect(verdict(table, 9, FRAME_DATA)).toBe("ignored");
  });
});

describe("the table", () => {
  it("forgets the oldest closed stream past max(64, 2 × maxConcurrentStreams)", () => {
    const table = new StreamTable(10); // remembers 64
    for (let id = 1; id <= 2 * 65 - 1; id += 2) {
      expect(table.claim(id)).toBe(true);
      const stream = new Http2Stream(id, host, 65535, 65535, 0);
      table.add(stream);
      table.remove(stream, CLOSED_RESET_SENT);
    }
    expect(verdict(table, 1, FRAME_DATA)).toBe(`connection ${STREAM_CLOSED}`); // forgotten: no longer "reset by us"
    expect(verdict(table, 3, FRAME_DATA)).toBe("ignored");
  });

  it("counts handlers still running on closed streams as busy, and the last processed id", () => {
    const table = new StreamTable(100);
    table.claim(1);
    const stream = new Http2Stream(1, host, 65535, 65535, 0);
    table.add(stream);
    expect([table.size, table.busy, table.lastProcessed, table.isOpen(stream)]).toEqual([1, 1, 1, true]);
    table.remove(stream, CLOSED_RESET_RECEIVED);
    table.zombieStarted();
    expect([table.size, table.busy, table.isOpen(stream)]).toEqual([0, 1, false]);
    table.zombieSettled();
    expect(table.busy).toBe(0);
    expect(table.remove(stream, CLOSED_ENDED)).toBe(false); // closed once only
  });
});
