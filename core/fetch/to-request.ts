import type { Exchange } from "../exchange/exchange.ts";
import { rememberExchange } from "./upgrade-websocket.ts";

/** Build a web-standard `Request` for an exchange, for `fetch`-style handlers. */
export function toWebRequest(exchange: Exchange): Request {
  const { head, info } = exchange;
  const headers = new Headers();
  const list = head.headers;
  for (let i = 0; i < list.length; i += 2) headers.append(list[i]!, list[i + 1]!);
  let url: string;
  if (/^https?:\/\//i.test(head.target)) url = head.target;
  else {
    const path = head.target === "*" ? "/" : head.path;
    url = (info.tls ? "https://" : "http://") + (head.host || "localhost") + path +
      (head.query ? "?" + head.query : "");
  }
  const method = head.method;
  const hasBody = exchange.body !== null && method !== "GET" && method !== "HEAD";
  const init: RequestInit & { duplex?: "half" } = { method, headers, signal: exchange.signal };
  if (hasBody) {
    init.body = exchange.body!.stream();
    init.duplex = "half";
  }
  const request = new Request(url, init);
  rememberExchange(request, exchange);
  return request;
}
