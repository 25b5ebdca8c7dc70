import { describe, expect, it } from "vitest";
import { parsePartHead } from "./part-headers.ts";
import { bytes } from "../../test/support/replay.ts";

const head = (lines: string) => parsePartHead(bytes(lines));

describe("part headers (RFC 7578 §4.2, §4.4; RFC 6266; RFC 8187)", () => {
  it("reads name, filename and type", () => {
    expect(head('Content-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/csv\r\n'))
      .toMatchObject({ name: "file", filename: "a.txt", type: "text/csv" });
  });

  it("a part without Content-Type is text/plain; without filename a field", () => {
    expect(head("Content-Disposition: form-data; name=a\r\n")).toMatchObject({
      name: "a",
      filename: undefined,
      type: "text/plain",
    });
  });

  it("an empty filename still marks a file (an empty file input)", () => {
    expect(head('Content-Disposition: form-data; name="f"; filename=""\r\n').filename).toBe("");
  });

  it("filename* (RFC 8187) wins over filename (RFC 6266 §4.3)", () => {
    expect(
      head("Content-Disposition: form-data; name=f; filename=\"n.txt\"; filename*=UTF-8''n%C3%A4me%20%E2%82%AC.txt\r\n")
        .filename,
    ).toBe("näme €.txt");
    expect(head("Content-Disposition: form-data; name=f; filename*=iso-8859-1'en'%E4.txt\r\n").filename).toBe("ä.txt");
  });

  it("takes raw UTF-8 in quoted values, quoted-pairs, and the browsers' %22/%0D/%0A escapes", () => {
    const utf8 = new TextEncoder().encode(
      'Content-Disposition: form-data; name="名前"; filename="a\\"b%22c%0D%0A.txt"\r\n',
    );
    expect(parsePartHead(utf8)).toMatchObject({ name: "名前", filename: 'a"b"c\r\n.txt' });
  });

  it("keeps every header line, lowercased names", () => {
    expect(head("Content-Disposition: form-data; name=a\r\nX-A:  v  \r\n").headers).toEqual([
      ["content-disposition", "form-data; name=a"],
      ["x-a", "v"],
    ]);
  });

  it.each([
    ["", "no Content-Disposition"],
    ["Content-Disposition: attachment; name=a\r\n", "not form-data"],
    ["Content-Disposition: form-data\r\n", "no name"],
    ["Content-Disposition: form-data; name=a; name=b\r\n", "repeats name"],
    ["Content-Disposition: form-data; name=a\r\nContent-Disposition: form-data; name=b\r\n", "two Content-Disposition"],
    ["Content-Disposition: form-data; name=a\r\nContent-Type: a\r\nContent-Type: b\r\n", "Malformed part Content-Type"],
    ["Content-Disposition: form-data; name=a\r\nContent-Type: text/a\r\nContent-Type: text/b\r\n", "two Content-Type"],
    ["Content-Disposition: form-data; name=a; filename*=UTF-16''x\r\n", "Unsupported charset"],
    ["Content-Disposition: form-data; name=a; filename*=x\r\n", "Malformed extended parameter"],
    ["Content-Disposition: form-data; name=a; filename*=UTF-8''%FF\r\n", "not valid UTF-8"],
    ['Content-Disposition: form-data; name="a\r\n', "Malformed Content-Disposition"],
    ["Content-Disposition: form-data; name=a\r\nContent-Transfer-Encoding: base64\r\n", "Content-Transfer-Encoding"],
    ["Content-Disposition: form-data; name=a\n", "CRLF"],
    ["Content-Disposition: form-data; name=a\rX: y\r\n", "CRLF"],
    ["Content-Disposition: form-data; name=a\r\n\tfolded\r\n", "Folded"],
    [": x\r\n", "no valid name"],
    ["Bad Name: x\r\n", "no valid name"],
    ["Content-Disposition: form-data; name=a\r\nX: a\x00b\r\n", "Control character"],
    ['Content-Disposition: form-data; name="\xff"\r\n', "not valid UTF-8"],
  ])("%j → 400 (%s)", (lines, reason) => {
    expect(() => head(lines)).toThrow(reason);
    try {
      head(lines);
    } catch (e) {
      expect(e).toMatchObject({ status: 400, code: "MULTIPART_INVALID_PART_HEADER" });
    }
  });
});
