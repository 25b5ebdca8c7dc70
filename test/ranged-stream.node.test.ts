/**
 * adapters/ranged-stream.ts, the pull stream under the Node and Deno file providers: exact
 * ranges, read-ahead of one chunk only, and the file closed on every way out (end, cancel while
 * opening or reading, error). `npx vitest run test/ranged-stream.node.test.ts`
 */
import { describe, expect, it } from "vitest";
import { type ChunkSource, rangedStream } from "../adapters/ranged-stream.ts";

const FILE = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);

/** A fake file: counts opens, closes and reads; `gate` holds open/read until released. */
function fakeFile(content = FILE, gate?: Promise<void>) {
  const log = { opens: 0, closes: 0, reads: 0 };
  const open = async (start: number): Promise<ChunkSource> => {
    log.opens++;
    await gate;
    let at = start;
    return {
      read: async (buffer, position) => {
        log.reads++;
        await gate;
        expect(position).toBe(at);
        const part = content.subarray(position, position + buffer.length);
        buffer.set(part);
        at += part.length;
        return part.length;
      },
      close: () => void log.closes++,
    };
  };
  return { open, log };
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const out: number[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) out.push(...chunk);
  return Uint8Array.from(out);
}

describe("rangedStream", () => {
  it("gives exactly [start, end) in chunks, and closes the file at the end", async () => {
    const { open, log } = fakeFile();
    expect(await readAll(rangedStream(open, 10, 990, 64))).toEqual(FILE.slice(10, 990));
    expect(log).toEqual({ opens: 1, closes: 1, reads: Math.ceil(980 / 64) });
    const empty = fakeFile();
    expect((await readAll(rangedStream(empty.open, 5, 5))).length).toBe(0);
    expect(empty.log.opens).toBe(0);
  });

  it("reads one chunk ahead of the consumer and no more", async () => {
    const { open, log } = fakeFile();
    const reader = rangedStream(open, 0, 1000, 100).getReader();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(log.reads).toBe(1);
    await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(log.reads).toBe(2);
    await reader.cancel();
    expect(log.closes).toBe(1);
  });

  it("closes a file whose open or read was in flight when the stream was cancelled", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const opening = fakeFile(FILE, gate);
    const stream = rangedStream(opening.open, 0, 1000);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(opening.log.opens).toBe(1);
    await stream.cancel();
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(opening.log.closes).toBe(1);
  });

  it("fails, and closes, when the file is shorter than the range", async () => {
    const { open, log } = fakeFile(FILE.slice(0, 100));
    await expect(readAll(rangedStream(open, 0, 200, 64))).rejects.toThrow(/ended at byte 100/);
    expect(log.closes).toBe(1);
  });
});
