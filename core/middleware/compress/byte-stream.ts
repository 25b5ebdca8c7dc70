import type { BodyStream } from "../../exchange/exchange.ts";

const encoder = new TextEncoder();

/**
 * A response body stream (web stream or async iterable, of bytes or strings) as a web stream of
 * bytes, pulled one chunk at a time so the compressor keeps the handler's pace; cancelling it
 * (the client went away) cancels or returns the source.
 */
export function toByteStream(body: BodyStream): ReadableStream<Uint8Array> {
  const iterator: AsyncIterator<Uint8Array | string> | null = body instanceof ReadableStream
    ? null
    : body[Symbol.asyncIterator]();
  const reader = body instanceof ReadableStream ? body.getReader() : null;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      // Skip empty chunks here: a pull that enqueues nothing is not called again.
      for (;;) {
        const next = reader !== null ? await reader.read() : await iterator!.next();
        if (next.done === true) return controller.close();
        const chunk = typeof next.value === "string" ? encoder.encode(next.value) : next.value;
        if (chunk.length > 0) return controller.enqueue(chunk);
      }
    },
    async cancel(reason) {
      if (reader !== null) await reader.cancel(reason);
      else await iterator!.return?.();
    },
  }, { highWaterMark: 0 });
}
