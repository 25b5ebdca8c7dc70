/** Command-line options shared by the bench servers and peers. */

/** What every bench server takes. */
export interface PeerArgs {
  /** `--port N` (0 picks a free one). Default 3000. */
  port: number;
  /** `--idle-timeout S`: seconds an idle keep-alive connection is kept. Default 120. */
  idleTimeoutSeconds: number;
  /** `--deflate`: offer permessage-deflate (RFC 7692) on `/ws`. Default off, as everywhere. */
  deflate: boolean;
  /**
   * `--http2`: also serve HTTP/2 (h2c by prior knowledge) where the server must be told to
   * (Bun.serve's `http2: true`). wirecore, node:http2 and Deno.serve serve h2c without it.
   */
  http2: boolean;
  /** `--workers N`: serve from N processes on one port (1: this process alone). Default 1. */
  workers: number;
}

function numberAfter(args: readonly string[], flag: string, fallback: number): number {
  const at = args.indexOf(flag);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`Invalid ${flag} ${args[at + 1]}`);
  return value;
}

/** Parse `--port N`, `--idle-timeout S`, `--deflate`, `--http2` and `--workers N`. */
export function peerArgs(args: readonly string[]): PeerArgs {
  const port = numberAfter(args, "--port", 3000);
  if (port > 65535) throw new Error(`Invalid --port ${port}`);
  return {
    port,
    idleTimeoutSeconds: numberAfter(args, "--idle-timeout", 120),
    deflate: args.includes("--deflate"),
    http2: args.includes("--http2"),
    workers: Math.max(1, numberAfter(args, "--workers", 1)),
  };
}
