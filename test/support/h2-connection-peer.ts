/**
 * The two shorthands the HTTP/2 connection tests share: a {@link TestPeer} over the test app and
 * the trace of what the server wrote, error codes by name. Test support only.
 * @module
 */
import { errorCodeName } from "../../core/http2/errors.ts";
import type { ServeOptions } from "../../core/server/options.ts";
import { Gate, testApp } from "./h2-test-app.ts";
import { type OutFrame, TestPeer, trace } from "./h2-test-peer.ts";

/** One line per frame, e.g. `HEADERS 1 200`, `GOAWAY 0 PROTOCOL_ERROR` (see {@link trace}). */
export const t = (frames: OutFrame[]): string[] => trace(frames, errorCodeName);

/** A scripted client of a server core serving {@link testApp}, whose slow routes `gate` holds. */
export function peer(gate: Gate = new Gate(), options: ServeOptions = {}): TestPeer {
  return new TestPeer(testApp(gate), options);
}
