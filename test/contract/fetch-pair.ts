/**
 * What the fetch-path cases share: one handler served twice — by wirecore and by the runtime's
 * own server — raw requests sent to both, and a report line per case so a difference shows in
 * the test output (DESIGN.md §4: web-standard behaviour is checked beside the native server).
 */
import type { FetchHandler } from "../../core/fetch/fetch-dispatcher.ts";
import { type NativeHandler, type NativeServer, RawClient, type Runtime, start, type TestApi } from "./harness.ts";
import type { Server } from "../../core/server/server.ts";
import { parseResponses, type RawResponse } from "./raw-response.ts";

/** The two servers of a describe block, running the same handler. */
export interface FetchPair {
  /** wirecore's port. */
  readonly wirecore: number;
  /** The native server's port. */
  readonly native: number;
}

/** Serve `handler` with wirecore and with the runtime's own server for the enclosing describe block. */
export function useFetchPair(
  t: TestApi,
  runtime: Runtime,
  handler: () => NativeHandler,
  options: { websocket?: unknown; onError?: (error: unknown) => void } = {},
): FetchPair {
  let ours: Server | null = null;
  let theirs: NativeServer | null = null;
  t.beforeAll(async () => {
    const h = handler();
    ours = await start(runtime, h as FetchHandler, {
      websocket: options.websocket as never,
      onError: options.onError ?? (() => {}),
    });
    theirs = await runtime.nativeServe(h, options.websocket);
  });
  t.afterAll(async () => {
    await ours?.close();
    await theirs?.close();
  });
  return {
    get wirecore(): number {
      if (ours === null) throw new Error("wirecore server not started");
      return ours.address.port;
    },
    get native(): number {
      if (theirs === null) throw new Error("native server not started");
      return theirs.port;
    },
  };
}

/** The native server's name on a runtime, for report lines. */
export function nativeName(runtime: Runtime): string {
  return runtime.name === "bun" ? "Bun.serve" : runtime.name === "deno" ? "Deno.serve" : "@hono/node-server";
}

/** Bytes of a latin1 string: a request may carry obs-text (0x80–0xFF) in a field value. */
export function latin1Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

/** Send one raw request and read its response; null when the server closed without one. */
export async function send(port: number, raw: string, method = "GET"): Promise<RawResponse | null> {
  const client = await RawClient.open(port);
  try {
    await client.write(latin1Bytes(raw));
    const text = await client.until((t) => parseResponses(t, [method]).responses.length >= 1, 5000);
    const { responses } = parseResponses(text, [method], client.closed);
    const response = responses[0];
    if (response === undefined && text !== "") throw new Error(`No response in ${JSON.stringify(text.slice(0, 300))}`);
    return response ?? null;
  } finally {
    client.close();
  }
}

/**
 * Print what wirecore and the native server did for one case, and whether the native server
 * follows the standard, so deviations are visible in the output without failing the run.
 */
export function report(runtime: Runtime, name: string, wirecore: unknown, native: unknown, standard: unknown): void {
  const ours = JSON.stringify(wirecore);
  const theirs = JSON.stringify(native);
  const same = ours === theirs;
  const nativeOk = JSON.stringify(native) === JSON.stringify(standard);
  const verdict = same
    ? "same as native"
    : nativeOk
    ? "DIFFERS from native"
    : `${nativeName(runtime)} deviates from the standard`;
  console.log(
    `[fetch ${runtime.name}] ${name}: wirecore=${ours}` + (same ? "" : ` native=${theirs}`) + ` (${verdict})`,
  );
}

/**
 * The path of a request's URL; "" when it has none a URL parser takes (a native server may hand
 * a handler such a URL, and a handler that throws would fail the test run on Bun).
 */
export function pathOf(request: Request): string {
  return URL.canParse(request.url) ? new URL(request.url).pathname : "";
}
