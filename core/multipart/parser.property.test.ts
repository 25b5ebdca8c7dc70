/**
 * Property tests of the multipart parser (fast-check, fixed seed): any form, encoded and cut at
 * random points, parses back to itself; any mutation of a valid body ends in the parser's own
 * error or a result, never another exception or a hang.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { bytes, text } from "../../test/support/replay.ts";
import { HttpError } from "../http/http-error.ts";
import { MultipartParser } from "./parser.ts";

const SEED = 20261207;

interface Part {
  name: string;
  filename: string | undefined;
  content: string; // latin1: one char per byte
}

interface Parsed {
  name: string;
  filename: string | undefined;
  content: string;
}

// Bytes that stress the delimiter search: CR, LF, dashes and the boundary's own letters.
const contentChar = fc.constantFrom("\r", "\n", "-", "b", "x", "\x00", "\xff", " ");
const latin1 = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength });
const content = fc.oneof(fc.string({ unit: contentChar, maxLength: 40 }), latin1(40));
const token = fc.string({ unit: fc.constantFrom("a", "b", "z", "0", "_", "-"), minLength: 1, maxLength: 8 });
const part = fc.record({ name: token, filename: fc.option(token, { nil: undefined }), content });
const boundary = fc.string({ unit: fc.constantFrom("b", "x", "-", "'", "0", "=", " "), minLength: 1, maxLength: 12 })
  .filter((b) => !b.endsWith(" "));

function encode(b: string, parts: Part[], preamble: string, epilogue: string): string {
  let body = preamble === "" ? "" : preamble + "\r\n";
  for (const p of parts) {
    const filename = p.filename === undefined ? "" : `; filename="${p.filename}"`;
    body += `--${b}\r\nContent-Disposition: form-data; name="${p.name}"${filename}\r\n\r\n${p.content}\r\n`;
  }
  return body + `--${b}--` + epilogue;
}

function parse(b: string, pieces: Uint8Array[]): Parsed[] {
  const out: Parsed[] = [];
  const parser = new MultipartParser(b, {
    part: (head) => out.push({ name: head.name, filename: head.filename, content: "" }),
    data: (chunk) => (out[out.length - 1]!.content += text(chunk)),
    partEnd() {},
  });
  for (const piece of pieces) parser.push(piece);
  parser.finish();
  return out;
}

/** Cut `input` at the sorted offsets. */
function cut(input: Uint8Array, offsets: number[]): Uint8Array[] {
  const at = [...new Set(offsets.map((o) => o % (input.length + 1)))].sort((x, y) => x - y);
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (const o of at) {
    pieces.push(input.subarray(from, o));
    from = o;
  }
  pieces.push(input.subarray(from));
  return pieces;
}

describe("multipart parser properties", () => {
  it("a form encoded and cut anywhere parses back to itself", () => {
    fc.assert(
      fc.property(
        boundary,
        fc.array(part, { maxLength: 5 }),
        latin1(10).filter((s) => !s.includes("\n") && !s.includes("\r")),
        latin1(10),
        fc.array(fc.nat(), { maxLength: 8 }),
        (b, parts, preamble, epilogue, offsets) => {
          // A body whose content holds its own delimiter is not a valid encoding of the form.
          fc.pre(parts.every((p) => !`\r\n${p.content}\r\n`.includes(`\r\n--${b}`)));
          fc.pre(!preamble.includes(`--${b}`));
          const input = bytes(encode(b, parts, preamble, epilogue));
          expect(parse(b, cut(input, offsets))).toEqual(parts);
        },
      ),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it("a mutated body ends in a result or the parser's own 400/413, at any cut", () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({
        kind: fc.constant("insert" as const),
        at: fc.nat(),
        text: fc.constantFrom("\r", "\n", "--", "\r\n"),
      }),
      fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
      fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(
        boundary,
        fc.array(part, { minLength: 1, maxLength: 4 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (b, parts, mutations, offsets) => {
          let body = encode(b, parts, "", "");
          for (const m of mutations) {
            const at = m.at % (body.length + 1);
            if (m.kind === "flip") body = body.slice(0, at) + String.fromCharCode(m.byte) + body.slice(at + 1);
            else if (m.kind === "insert") body = body.slice(0, at) + m.text + body.slice(at);
            else if (m.kind === "delete") body = body.slice(0, at) + body.slice(at + m.length);
            else body = body.slice(0, at);
          }
          const input = bytes(body);
          try {
            parse(b, cut(input, offsets));
          } catch (error) {
            expect(error).toBeInstanceOf(HttpError);
            expect([400, 413]).toContain((error as HttpError).status);
          }
        },
      ),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it("random pieces of multipart syntax under tight limits end in a result or a 400/413", () => {
    const piece = fc.constantFrom(
      "--b",
      "--b--",
      "\r\n",
      "\r",
      "\n",
      "Content-Disposition: form-data; name=a",
      "x",
      ";",
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 60 }).map((p) => bytes(p.join(""))),
        fc.array(fc.nat(), { maxLength: 6 }),
        (input, offsets) => {
          const parser = new MultipartParser("b", { part() {}, data() {}, partEnd() {} }, {
            maxParts: 2,
            maxFieldSize: 8,
            maxHeaderSize: 64,
          });
          try {
            for (const piece of cut(input, offsets)) parser.push(piece);
            parser.finish();
          } catch (error) {
            expect(error).toBeInstanceOf(HttpError);
            expect([400, 413]).toContain((error as HttpError).status);
          }
        },
      ),
      { seed: SEED, numRuns: 2000 },
    );
  });
});
