import { HttpError } from "../http/http-error.ts";
import type { Exchange } from "../exchange/exchange.ts";
import { rememberExchange } from "./web-upgrade.ts";

/**
 * Build a web-standard `Request` for an exchange, for `fetch`-style handlers.
 *
 * The URL is the target URI of RFC 9112 §3.3: an absolute-form target as sent; otherwise the
 * connection's scheme, the Host (`localhost` when an HTTP/1.0 request has none) and the
 * origin-form target as sent, which the WHATWG URL parser then normalises (dot segments,
 * percent-encoding). The server-wide `OPTIONS *` has no URL of its own: it gets the path `/*`.
 *
 * The parsers have checked the Host's syntax (RFC 9110 §7.2); what WHATWG URL still refuses
 * (an IPv4-looking host out of range, a port above 65535, a forbidden code point once
 * percent-decoded) is the client's error and gets 400; a method the Fetch standard forbids in
 * a Request (CONNECT, TRACE, TRACK) gets 501, as an origin server answers a method it does not
 * implement (RFC 9110 §9.1).
 */
export function toWebRequest(exchange: Exchange): Request {
  const { head, info } = exchange;
  const target = head.target;
  let url: string;
  if (target.charCodeAt(0) === 0x2f /* "/" */) {
    url = (info.tls ? "https://" : "http://") + (head.host || "localhost") + target;
  } else if (target === "*") url = (info.tls ? "https://" : "http://") + (head.host || "localhost") + "/*";
  else url = target;
  const method = head.method;
  const init: RequestInit & { duplex?: "half" } = { method, signal: exchange.signal };
  if (exchange.body !== null && method !== "GET" && method !== "HEAD") {
    init.body = exchange.body.stream();
    init.duplex = "half";
  }
  let request: Request;
  try {
    const headers = new Headers();
    const list = head.headers;
    for (let i = 0; i < list.length; i += 2) {
      const name = list[i]!;
      // Cookie lines join with "; " (RFC 6265 §4.2.1; RFC 9113 §8.2.3 does so for HTTP/2), not
      // Headers' ", ", which would make two cookies one; undici and Bun do so, Deno's does not.
      if (name === "cookie" && headers.has("cookie")) {
        headers.set("cookie", headers.get("cookie") + "; " + list[i + 1]!);
      } else headers.append(name, list[i + 1]!);
    }
    init.headers = headers;
    request = new Request(url, init);
  } catch {
    throw unrepresentable(method);
  }
  rememberExchange(request, exchange);
  return request;
}

function unrepresentable(method: string): HttpError {
  const upper = method.toUpperCase();
  if (upper === "CONNECT" || upper === "TRACE" || upper === "TRACK") {
    return new HttpError(
      501,
      `${method} cannot be given to a fetch handler (a forbidden method in Fetch)`,
      "FORBIDDEN_METHOD",
    );
  }
  return new HttpError(400, "Invalid request URL: the Host or the target is not a valid URL", "INVALID_URL");
}
