/**
 * `GET /events`: server-sent events, one a second, each with an id. A browser that reconnects
 * sends the last id it saw (`Last-Event-ID`) and the count goes on from there.
 */
import type { Context, Reply } from "../../mod.ts";

/** Milliseconds between events. */
export const EVENT_INTERVAL = 1000;

export function events(c: Context): Reply {
  return c.sse(async (stream) => {
    const last = Number(stream.lastEventId ?? "0");
    let id = Number.isSafeInteger(last) && last >= 0 ? last : 0;
    await stream.send({ retry: 2000 }); // reconnect 2 s after the stream drops
    while (!stream.signal.aborted) {
      id++;
      await stream.send({ id, data: { id, at: new Date().toISOString() } }); // a `message` event
      await stream.sleep(EVENT_INTERVAL); // rejects when the client goes away: the loop ends
    }
  }, { heartbeat: 15_000 });
}
