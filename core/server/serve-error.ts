/**
 * Why `serve()` could not start listening, the same on every runtime. Node reports these as an
 * `error` event, Bun's listen() and Deno's listen() throw, each with its own words; every adapter maps
 * its runtime's error to one of these codes, and `server.ready` rejects with a {@link ServeError}.
 */
export type ServeErrorCode =
  /** Another socket listens on this address and port. */
  | "EADDRINUSE"
  /** The hostname is an address this machine does not have. */
  | "EADDRNOTAVAIL"
  /** The hostname does not resolve to an address. */
  | "ENOTFOUND"
  /** No permission to listen there (a port below 1024 without privileges, a sandbox). */
  | "EACCES"
  /** The TLS certificate or key cannot be used (not PEM, damaged, or not a pair). */
  | "ETLS"
  /** The options cannot work: a port outside 0–65535, an empty hostname. */
  | "EINVAL"
  /** Anything else; `cause` holds the runtime's own error. */
  | "ELISTEN";

const REASONS: Readonly<Record<ServeErrorCode, string>> = {
  EADDRINUSE: "the address is already in use",
  EADDRNOTAVAIL: "the address is not available on this machine",
  ENOTFOUND: "the hostname does not resolve",
  EACCES: "permission denied",
  ETLS: "the TLS certificate or key cannot be used",
  EINVAL: "invalid options",
  ELISTEN: "the runtime refused to listen",
};

/** Where a server was asked to listen. */
export interface ListenTarget {
  hostname: string;
  port: number;
}

/**
 * `server.ready` rejects with this when the server cannot listen. `code` is stable across
 * runtimes; `cause` is the runtime's own error.
 *
 * @example
 * ```ts
 * try {
 *   await serve(app, { port: 3000 }).ready;
 * } catch (error) {
 *   if (error instanceof ServeError && error.code === "EADDRINUSE") console.error("port 3000 is taken");
 *   else throw error;
 * }
 * ```
 */
export class ServeError extends Error {
  readonly code: ServeErrorCode;
  readonly hostname: string;
  readonly port: number;

  constructor(code: ServeErrorCode, target: ListenTarget, cause?: unknown, detail?: string) {
    const where = target.hostname.includes(":")
      ? `[${target.hostname}]:${target.port}`
      : `${target.hostname}:${target.port}`;
    super(`Cannot listen on ${where}: ${detail ?? REASONS[code]} (${code})`, { cause });
    this.name = "ServeError";
    this.code = code;
    this.hostname = target.hostname;
    this.port = target.port;
  }
}

/**
 * The code for an operating-system error name that Node, Bun and Deno all put in `error.code`
 * (`EADDRINUSE`, …; getaddrinfo's failures as `ENOTFOUND`/`EAI_*`), or undefined.
 */
export function errnoCode(error: unknown): ServeErrorCode | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case "EADDRINUSE":
    case "EADDRNOTAVAIL":
    case "EACCES":
    case "ENOTFOUND":
      return code;
    case "EPERM":
      return "EACCES";
    case "EAI_NONAME":
    case "EAI_AGAIN":
    case "EAI_FAIL":
      return "ENOTFOUND";
    default:
      return undefined;
  }
}

/** Check what every runtime would refuse in its own words: a port outside 0–65535, an empty hostname. */
export function checkListenTarget(target: ListenTarget): ServeError | null {
  const { port, hostname } = target;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return new ServeError("EINVAL", target, undefined, `port ${port} is not an integer from 0 to 65535`);
  }
  if (typeof hostname !== "string" || hostname === "") {
    return new ServeError("EINVAL", target, undefined, "the hostname is empty");
  }
  return null;
}
