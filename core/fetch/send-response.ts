import type { Exchange } from "../exchange/exchange.ts";
import { acceptWebSocket } from "../session/ws/accept.ts";
import { takeUpgrade } from "./upgrade-websocket.ts";

/**
 * Write a web-standard `Response` to an exchange. A body that turns out to be one chunk (the
 * common `new Response("text")`) is sent with Content-Length; a longer one is streamed.
 */
export async function sendWebResponse(exchange: Exchange, response: Response): Promise<void> {
  const upgrade = takeUpgrade(response);
  if (upgrade !== undefined && upgrade.exchange === exchange) {
    acceptWebSocket(upgrade.exchange, upgrade.options);
    return;
  }
  const headers: string[] = [];
  let declaredLength = -1;
  response.headers.forEach((value, name) => {
    if (name === "set-cookie") return; // joined by forEach; sent one per field below
    if (name === "content-length") declaredLength = Number(value);
    headers.push(name, value);
  });
  for (const cookie of response.headers.getSetCookie()) headers.push("set-cookie", cookie);

  const body = response.body;
  if (body === null) {
    exchange.respond(response.status, headers, null);
    return;
  }
  const reader = body.getReader();
  const first = await reader.read();
  if (first.done) {
    exchange.respond(response.status, headers, null);
    return;
  }
  const second = await reader.read();
  if (second.done) {
    exchange.respond(response.status, headers, first.value);
    return;
  }
  await exchange.respondStream(
    response.status,
    headers,
    resumeStream(reader, first.value, second.value),
    declaredLength,
  );
}

async function* resumeStream(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  first: Uint8Array,
  second: Uint8Array,
): AsyncGenerator<Uint8Array> {
  let done = false;
  try {
    yield first;
    yield second;
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => {});
  }
}
