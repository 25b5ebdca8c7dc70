/**
 * A pull-based `ReadableStream` over a byte range of an open file, shared by the adapters whose
 * runtime reads files by position (Node's `FileHandle.read`, Deno's `FsFile.read` after `seek`).
 * It reads one chunk only when the consumer asks for one (`pull`), so a slow client holds at most
 * a chunk or two in memory however large the file; the file is opened on the first pull (a HEAD
 * or a cancelled response never opens it) and closed at the end, on cancel and on error.
 * @module
 */

/** An open file, read forward from where `open` placed it. */
export interface ChunkSource {
  /** Read up to `buffer.length` bytes at `position`; resolves with how many were read (0 at end of file). */
  read(buffer: Uint8Array, position: number): Promise<number>;
  close(): void | Promise<void>;
}

/** The chunk size: large enough for few reads, small enough to keep a stalled response cheap. */
export const CHUNK_SIZE = 64 * 1024;

/** The bytes `[start, end)` of what `open(start)` gives, read one chunk per pull. */
export function rangedStream(
  open: (start: number) => Promise<ChunkSource>,
  start: number,
  end: number,
  chunkSize: number = CHUNK_SIZE,
): ReadableStream<Uint8Array> {
  let source: ChunkSource | null = null;
  let position = start;
  let closed = false;
  const release = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    const open = source;
    source = null;
    if (open !== null) await open.close();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (position >= end) {
          await release();
          controller.close();
          return;
        }
        source ??= await open(start);
        const buffer = new Uint8Array(Math.min(chunkSize, end - position));
        const n = await source.read(buffer, position);
        if (n === 0) {
          // The file shrank under us: the promised length cannot be met; fail, never pad.
          throw new Error(`File ended at byte ${position}, before the ${end} announced`);
        }
        position += n;
        controller.enqueue(n === buffer.length ? buffer : buffer.subarray(0, n));
        if (position >= end) {
          await release();
          controller.close();
        }
      } catch (error) {
        await release().catch(() => {});
        controller.error(error);
      }
    },
    cancel: release,
  }, { highWaterMark: 0 });
}
