// wirecore/core without a socket: bytes of a connection in, bytes of the response out.
// `node examples/bytes.ts` (or bun, or deno run) prints the raw HTTP/1.1 response (import.meta.main:
// Node 24, Bun and Deno all set it; the cast is for type checkers that do not know it yet).
import { App } from "../mod.ts";
import { createServerCore, type Transport } from "../core/mod.ts";

/** Serve one request given as raw bytes with `app`; resolves with the raw response bytes. */
export function serveBytes(app: App, request: Uint8Array): Promise<Uint8Array> {
  const core = createServerCore(app, { onError: (error) => console.error(error) });
  const out: Uint8Array[] = [];
  let resolve: (bytes: Uint8Array) => void = () => {};
  const done = new Promise<Uint8Array>((r) => (resolve = r));
  const transport: Transport = {
    write(bytes) {
      out.push(bytes.slice()); // bytes may be reused once write returns
      return true; // never above a high-water mark here
    },
    end: () => resolve(concat(out)), // the request said `connection: close`
    close: () => resolve(concat(out)),
    pause() {},
    resume() {},
    info: { remoteAddress: "127.0.0.1", remotePort: 50000, tls: false },
  };
  const connection = core.accept(transport);
  connection.data(request);
  return done;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) all.set(c, (at += c.length) - c.length);
  return all;
}

if ((import.meta as { main?: boolean }).main) {
  const app = new App().get("/hello/:name", (c) => c.text(`Hello, ${c.params.name}!`));
  const request = new TextEncoder().encode("GET /hello/bytes HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  console.log(new TextDecoder().decode(await serveBytes(app, request)));
}
