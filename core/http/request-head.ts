/** A parsed HTTP/1.x request head (RFC 9112 §3, §5). Produced by the request parser. */
export interface RequestHead {
  /** The method token as sent (case-sensitive, RFC 9110 §9.1); common ones are interned. */
  method: string;
  /** The request-target exactly as sent: origin-form, absolute-form, authority-form or `*`. */
  target: string;
  /** The path of the target, without the query: `/a/b` (also for absolute-form), or `*`. */
  path: string;
  /** The query without the leading `?`, or `""`. */
  query: string;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  versionMinor: number;
  /** Header fields in received order, flat: `[name, value, name, value, …]`; names lowercased, values trimmed of OWS. */
  headers: string[];
  /** The authority: from an absolute-form target when used (RFC 9112 §3.2.2), else the Host field, or `""`. */
  host: string;
  /** The Content-Length, or -1 when the request has none. */
  contentLength: number;
  /** Whether the body uses the chunked transfer coding. */
  chunked: boolean;
  /** Whether the connection may stay open after this exchange (RFC 9112 §9.3). */
  keepAlive: boolean;
  /** Whether the request carries `Expect: 100-continue`. */
  expectContinue: boolean;
  /** The `Upgrade` field value when `Connection` lists `upgrade`, else `""`. */
  upgrade: string;
}

/** Limits the parser enforces while reading a request. */
export interface ParserLimits {
  /** Longest request line in bytes; longer gets 414. Default 8 KiB. */
  maxRequestLineSize: number;
  /** Largest header section (request line + fields) in bytes; larger gets 431. Default 16 KiB. */
  maxHeaderSize: number;
  /** Most header fields; more gets 431. Default 100. */
  maxHeaders: number;
  /**
   * Largest body in bytes (Content-Length or chunked total), also on routes that stream it; a
   * larger declared body gets 413 before any of it is read (and without `100 Continue`), a larger
   * chunked one 413 when it passes the limit. Default 64 MiB.
   */
  maxBodySize: number;
}

export const DEFAULT_PARSER_LIMITS: ParserLimits = {
  maxRequestLineSize: 8 * 1024,
  maxHeaderSize: 16 * 1024,
  maxHeaders: 100,
  maxBodySize: 64 * 1024 * 1024,
};
