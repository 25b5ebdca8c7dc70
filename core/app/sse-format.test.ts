/** The text/event-stream serializer (WHATWG HTML §9.2.5, §9.2.6). */
import { describe, expect, it } from "vitest";
import { formatComment, formatEvent, lastEventIdOf } from "./sse-format.ts";

describe("formatEvent", () => {
  it("writes each field on its own line and ends with a blank line", () => {
    expect(formatEvent({ event: "tick", id: 7, retry: 1500, data: "hello" }))
      .toBe("event: tick\nid: 7\nretry: 1500\ndata: hello\n\n");
  });

  it.each([
    ["LF", "a\nb\nc", "data: a\ndata: b\ndata: c\n\n"],
    ["CR", "a\rb", "data: a\ndata: b\n\n"],
    ["CRLF", "a\r\nb", "data: a\ndata: b\n\n"],
    ["mixed, with empty lines", "a\r\n\rb\n", "data: a\ndata: \ndata: b\ndata: \n\n"],
    ["empty", "", "data: \n\n"],
    ["a leading space (kept: one space after the colon is stripped)", " x", "data:  x\n\n"],
  ])("splits data into one data line per line: %s", (_name, data, wire) => {
    expect(formatEvent({ data })).toBe(wire);
  });

  it("sends a value that is not a string as JSON", () => {
    expect(formatEvent({ data: { n: 1, s: "a\nb" } })).toBe('data: {"n":1,"s":"a\\nb"}\n\n');
    expect(() => formatEvent({ data: () => 1 })).toThrow(TypeError);
  });

  it.each([
    ["event with LF", { event: "a\nid: 9" }],
    ["event with CR", { event: "a\r" }],
    ["id with CRLF", { id: "1\r\n" }],
    ["id with NUL", { id: "1\0" }],
    ["negative retry", { retry: -1 }],
    ["fractional retry", { retry: 1.5 }],
    ["NaN retry", { retry: Number.NaN }],
  ])("rejects a field the format cannot carry: %s", (_name, event) => {
    expect(() => formatEvent(event)).toThrow(TypeError);
  });

  it("an event with only an id sets the id and dispatches nothing (no data line)", () => {
    expect(formatEvent({ id: "x" })).toBe("id: x\n\n");
  });
});

describe("formatComment", () => {
  it("prefixes every line with a colon", () => {
    expect(formatComment("")).toBe(":\n\n");
    expect(formatComment("ping")).toBe(": ping\n\n");
    expect(formatComment("a\r\nb")).toBe(": a\n: b\n\n");
  });
});

describe("lastEventIdOf", () => {
  it("keeps ASCII, decodes UTF-8 bytes carried one per character, keeps what is not UTF-8", () => {
    expect(lastEventIdOf(undefined)).toBe(undefined);
    expect(lastEventIdOf("42")).toBe("42");
    const utf8 = String.fromCharCode(...new TextEncoder().encode("é✓"));
    expect(lastEventIdOf(utf8)).toBe("é✓");
    expect(lastEventIdOf("\xff")).toBe("\xff");
  });
});
