/**
 * A `multipart/byteranges` body (RFC 9110 §14.6, the media type of its Appendix; the multipart
 * syntax of RFC 2046 §5.1.1): each range as a part with its own Content-Type and Content-Range,
 * streamed one range after the other from the file, with the total length known up front.
 * @module
 */
import type { ByteRange } from "./range.ts";

/** The body, its exact length and the boundary for the Content-Type parameter. */
export interface ByteRangesBody {
  readonly boundary: string;
  readonly length: number;
  readonly stream: ReadableStream<Uint8Array>;
}

const encoder = new TextEncoder();

/** A boundary no file byte sequence can be expected to contain: 24 random hex digits. */
function makeBoundary(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  let hex = "";
  for (const b of bytes) hex += b.toString(16).padStart(2, "0");
  return "wirecore-" + hex;
}

/**
 * Build the body for `ranges` of a file of `size` bytes whose bytes come from `read(start, end)`.
 * Each range's file stream is opened only once the one before it has been sent.
 */
export function byteRangesBody(
  ranges: readonly ByteRange[],
  size: number,
  contentType: string,
  read: (start: number, end: number) => ReadableStream<Uint8Array>,
): ByteRangesBody {
  const boundary = makeBoundary();
  const heads = ranges.map((r, i) =>
    encoder.encode(
      `${i === 0 ? "" : "\r\n"}--${boundary}\r\ncontent-type: ${contentType}\r\n` +
        `content-range: bytes ${r.start}-${r.end - 1}/${size}\r\n\r\n`,
    )
  );
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  let length = tail.length;
  for (let i = 0; i < ranges.length; i++) length += heads[i]!.length + ranges[i]!.end - ranges[i]!.start;

  let index = 0;
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        if (reader !== null) {
          const next = await reader.read();
          if (!next.done) return controller.enqueue(next.value);
          reader = null;
          index++;
        }
        if (index < ranges.length) {
          const r = ranges[index]!;
          reader = read(r.start, r.end).getReader();
          return controller.enqueue(heads[index]!);
        }
        if (index === ranges.length) {
          index++;
          controller.enqueue(tail);
        }
        return controller.close();
      }
    },
    async cancel(reason) {
      await reader?.cancel(reason);
    },
  }, { highWaterMark: 0 });
  return { boundary, length, stream };
}
