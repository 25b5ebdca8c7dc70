/**
 * An in-memory FileProvider for tests: files, directories and symlinks in a Map, so serveStatic
 * runs under `app.request` with no disk. It counts opened reads, to show what is never read. Like the adapters'
 * providers it reads small bodies at once (`readBytes`) unless built with `{ readBytes: false }`.
 */
import type { FileProvider, FileStat } from "../../core/providers/file-provider.ts";

type Entry = { kind: "file"; bytes: Uint8Array; mtimeMs: number } | { kind: "dir" } | {
  kind: "link";
  target: string;
};

export class MemoryFiles implements FileProvider {
  readonly #entries = new Map<string, Entry>();
  /** How many `read` streams were pulled from (opened), and `readBytes` calls. */
  opened = 0;
  /** How many of {@link opened} were `readBytes` calls. */
  readsAtOnce = 0;
  /** What `readBytes` gets when it runs, before it reads: a test can change a file in between. */
  beforeReadBytes: (() => void) | null = null;
  declare readBytes?: (path: string, start: number, end: number) => Promise<Uint8Array>;

  constructor(mtimeMs = Date.UTC(2026, 0, 1), options: { readBytes?: boolean } = {}) {
    this.mtimeMs = mtimeMs;
    this.#entries.set("/", { kind: "dir" });
    if (options.readBytes !== false) this.readBytes = (path, start, end) => this.#readBytes(path, start, end);
  }

  #readBytes(path: string, start: number, end: number): Promise<Uint8Array> {
    this.opened++;
    this.readsAtOnce++;
    this.beforeReadBytes?.();
    const real = this.#resolve(path);
    const entry = real === null ? undefined : this.#entries.get(real);
    if (entry?.kind !== "file") return Promise.reject(new Error(`ENOENT: ${path}`));
    return Promise.resolve(entry.bytes.slice(start, end));
  }

  readonly mtimeMs: number;

  /** Add a file (and its parent directories). */
  file(path: string, content: string | Uint8Array, mtimeMs = this.mtimeMs): this {
    const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
    this.#parents(path);
    this.#entries.set(path, { kind: "file", bytes, mtimeMs });
    return this;
  }

  /** Add a symlink at `path` to the absolute `target`. */
  link(path: string, target: string): this {
    this.#parents(path);
    this.#entries.set(path, { kind: "link", target });
    return this;
  }

  #parents(path: string): void {
    const parts = path.split("/").slice(1, -1);
    for (let i = 1; i <= parts.length; i++) this.#entries.set("/" + parts.slice(0, i).join("/"), { kind: "dir" });
  }

  /** Resolve every symlink along `path`, like realpath(3); null when something is missing. */
  #resolve(path: string, depth = 0): string | null {
    if (depth > 16) return null;
    const parts = path.split("/").filter((p) => p !== "");
    let current = "";
    for (const part of parts) {
      const next = current + "/" + part;
      const entry = this.#entries.get(next);
      if (entry === undefined) return null;
      if (entry.kind === "link") {
        const target = this.#resolve(entry.target, depth + 1);
        if (target === null) return null;
        current = target === "/" ? "" : target;
      } else current = next;
    }
    return current === "" ? "/" : current;
  }

  stat(path: string): Promise<FileStat | null> {
    const real = this.#resolve(path);
    const entry = real === null ? undefined : this.#entries.get(real);
    if (entry === undefined) return Promise.resolve(null);
    if (entry.kind === "dir") {
      return Promise.resolve({ size: 0, mtimeMs: this.mtimeMs, isFile: false, isDirectory: true });
    }
    if (entry.kind === "link") return Promise.resolve(null);
    return Promise.resolve({ size: entry.bytes.length, mtimeMs: entry.mtimeMs, isFile: true, isDirectory: false });
  }

  realPath(path: string): Promise<string> {
    const real = this.#resolve(path);
    return real === null ? Promise.reject(new Error(`ENOENT: ${path}`)) : Promise.resolve(real);
  }

  read(path: string, start: number, end: number): ReadableStream<Uint8Array> {
    let sent = false;
    return new ReadableStream<Uint8Array>({
      pull: (controller) => {
        if (sent) return controller.close();
        sent = true;
        this.opened++;
        const real = this.#resolve(path);
        const entry = real === null ? undefined : this.#entries.get(real);
        if (entry?.kind !== "file") return controller.error(new Error(`ENOENT: ${path}`));
        controller.enqueue(entry.bytes.slice(start, end));
      },
    }, { highWaterMark: 0 });
  }
}
