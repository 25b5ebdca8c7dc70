/**
 * Property-based tests of the HTTP/2 read side of a server connection (RFC 9113 §3.4, §4, §6),
 * with fast-check, over a fake transport: the preface, SETTINGS and requests — header blocks cut
 * into HEADERS and CONTINUATION frames at random, bodies cut into DATA frames, PINGs between —
 * fed whole or split across reads at random. A valid script gets every response, the same at
 * every split; random and mutated bytes never make `data()` throw, and end in responses, stream
 * resets or one GOAWAY with an HTTP/2 error code, the same at every split. Settings:
 * test/support/fuzz.ts.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { BlockBuffer } from "../../hpack/block-buffer.ts";
import { HpackEncoder } from "../../hpack/encoder.ts";
import { ConnectionError, errorCodeName, StreamError } from "../../http2/errors.ts";
import {
  CLIENT_PREFACE,
  FLAG_ACK,
  FLAG_END_HEADERS,
  FLAG_END_STREAM,
  FRAME_CONTINUATION,
  FRAME_DATA,
  FRAME_GOAWAY,
  FRAME_HEADERS,
  FRAME_PING,
  FRAME_RST_STREAM,
  FRAME_SETTINGS,
} from "../../http2/frame-types.ts";
import { checkAsync, cuts, join, mutated, randomBytes, split } from "../../../test/support/fuzz.ts";
import { testApp } from "../../../test/support/h2-test-app.ts";
import { frame, TestPeer } from "../../../test/support/h2-test-peer.ts";

interface Request {
  post: boolean;
  body: Uint8Array;
  /** Where the header block and the body are cut into frames, as fractions. */
  blockCuts: number[];
  bodyCuts: number[];
  ping: boolean;
}

const request: fc.Arbitrary<Request> = fc.record({
  post: fc.boolean(),
  body: fc.uint8Array({ maxLength: 200 }),
  blockCuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 2 }),
  bodyCuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 2 }),
  ping: fc.boolean(),
});

/** The bytes a client sends: preface, SETTINGS, the ACK of the server's, then the requests. */
function script(requests: readonly Request[]): Uint8Array {
  const encoder = new HpackEncoder({ huffman: "shorter" });
  const parts = [CLIENT_PREFACE, frame(FRAME_SETTINGS, 0, 0), frame(FRAME_SETTINGS, FLAG_ACK, 0)];
  requests.forEach((r, i) => {
    const id = 1 + 2 * i;
    const fields = [":method", r.post ? "POST" : "GET", ":scheme", "http", ":path", r.post ? "/echo" : "/"];
    fields.push(":authority", "fuzz.test");
    const out = new BlockBuffer();
    encoder.encode(fields, out);
    const fragments = split(out.bytes.slice(0, out.length), r.blockCuts);
    const endStream = !r.post;
    fragments.forEach((fragment, j) => {
      const last = j === fragments.length - 1;
      if (j === 0) {
        const flags = (last ? FLAG_END_HEADERS : 0) | (endStream ? FLAG_END_STREAM : 0);
        parts.push(frame(FRAME_HEADERS, flags, id, fragment));
      } else parts.push(frame(FRAME_CONTINUATION, last ? FLAG_END_HEADERS : 0, id, fragment));
    });
    if (r.ping) parts.push(frame(FRAME_PING, 0, 0, [1, 2, 3, 4, 5, 6, 7, 8]));
    if (r.post) {
      const pieces = split(r.body, r.bodyCuts);
      pieces.forEach((piece, j) =>
        parts.push(frame(FRAME_DATA, j === pieces.length - 1 ? FLAG_END_STREAM : 0, id, piece))
      );
    }
  });
  return join(parts);
}

/** What the connection answered, independent of how the frames were batched into writes. */
interface Verdict {
  responses: Record<number, { status: string; body: number }>;
  resets: string[];
  goaway: string | null;
  pings: number;
}

/** Feed `pieces` to a fresh connection, let the app run, and read the answer. */
async function serve(pieces: readonly Uint8Array[]): Promise<Verdict> {
  const peer = new TestPeer(testApp());
  for (const piece of pieces) {
    // Each read is only valid during the call (Transport contract): hand over a copy.
    if (piece.length > 0) peer.transport.handler!.data(piece.slice());
  }
  // Nothing is reported while the bytes are read: only data()'s safety net would (a bug of ours).
  if (peer.errors.length > 0) throw new Error(`data() reported ${String(peer.errors[0])}`);
  // The app's handlers and body streams run on promises: let the microtask queue drain. (A timer
  // turn per case would make the property ten times slower; the valid-script property fails if
  // this is ever too few turns, as responses would be missing.)
  for (let i = 0; i < 200; i++) await Promise.resolve();
  const verdict: Verdict = { responses: {}, resets: [], goaway: null, pings: 0 };
  for (const f of peer.frames()) {
    if (f.type === FRAME_HEADERS) {
      const status = f.fields?.[f.fields.indexOf(":status") + 1] ?? "-";
      verdict.responses[f.streamId] ??= { status, body: 0 };
    } else if (f.type === FRAME_DATA) {
      verdict.responses[f.streamId] ??= { status: "-", body: 0 };
      verdict.responses[f.streamId]!.body += f.payload.length;
    } else if (f.type === FRAME_RST_STREAM) verdict.resets.push(`${f.streamId} ${errorCodeName(f.errorCode!)}`);
    else if (f.type === FRAME_GOAWAY) verdict.goaway ??= errorCodeName(f.errorCode!);
    else if (f.type === FRAME_PING) verdict.pings++;
  }
  for (const error of peer.errors) {
    // What may reach onError: a handler whose stream was reset or whose connection ended (its
    // request body fails with that reason, a plain Error). A TypeError, RangeError… would be a
    // bug of ours caught by data()'s safety net.
    const plain = error instanceof Error && [Error, StreamError, ConnectionError].includes(error.constructor as never);
    if (!plain) throw new Error(`onError got ${String(error)}`);
  }
  return verdict;
}

const requests = fc.array(request, { minLength: 1, maxLength: 4 });

describe("HTTP/2 connection read side, property-based", () => {
  it("answers a valid script, cut into frames and reads at random, the same at every split", async () => {
    await checkAsync(fc.tuple(requests, cuts), async ([list, at]) => {
      const bytes = script(list);
      const whole = await serve([bytes]);
      expect(whole.goaway).toBe(null);
      expect(whole.resets).toEqual([]);
      expect(whole.pings).toBe(list.filter((r) => r.ping).length);
      list.forEach((r, i) => {
        expect(whole.responses[1 + 2 * i]).toEqual({ status: "200", body: r.post ? r.body.length : 13 });
      });
      expect(await serve(split(bytes, at))).toEqual(whole);
    }, 25);
  });

  it("answers random frames after the preface without throwing, the same at every split", async () => {
    const bytes = randomBytes.map((b) => join([CLIENT_PREFACE, frame(FRAME_SETTINGS, 0, 0), b]));
    await checkAsync(fc.tuple(bytes, cuts), async ([input, at]) => {
      expect(await serve(split(input, at))).toEqual(await serve([input]));
    }, 30);
  });

  it("answers a mutated script with responses, resets or a GOAWAY, the same at every split", async () => {
    await checkAsync(fc.tuple(mutated(requests.map(script)), cuts), async ([input, at]) => {
      expect(await serve(split(input, at))).toEqual(await serve([input]));
    }, 60);
  });
});
