/**
 * The read side of an HTTP/2 server connection: the client connection preface (RFC 9113 §3.4),
 * then the frame loop — frame header, size limit (§4.2), payload parsed by the codec's table and
 * acted on by the handler of its type (frame-handlers.ts).
 *
 * Input is parsed in place: complete frames are handled straight from the bytes the transport
 * gave; only a frame split across reads is copied, into one buffer of the largest frame size.
 * A protocol error a frame raises is handed to the connection's `fail` — a stream error resets
 * one stream and the loop goes on; a connection error stops the reader.
 * @module
 */
import { ConnectionError, StreamError } from "../../http2/errors.ts";
import { type Frame, newFrame, readFrameHeader } from "../../http2/frame-header.ts";
import { parseFrame } from "../../http2/frame-parsers.ts";
import {
  CLIENT_PREFACE,
  FLAG_ACK,
  FRAME_HEADER_LENGTH,
  FRAME_SETTINGS,
  frameTypeName,
} from "../../http2/frame-types.ts";
import { type FrameContext, handleFrame } from "./frame-handlers.ts";

/** Where the reader is in the connection's life. */
const PHASE_PREFACE = 0; // reading the 24-octet client preface (§3.4)
const PHASE_SETTINGS = 1; // the next frame must be the client's SETTINGS (§3.4)
const PHASE_FRAMES = 2;
const PHASE_DONE = 3; // GOAWAY for an error sent, or closed: input is ignored

/** Reads the preface and frames of one connection. */
export class FrameReader {
  readonly #context: FrameContext;
  readonly #maxFrameSize: number;
  readonly #frame: Frame = newFrame();
  #phase = PHASE_PREFACE;
  #prefaceAt = 0;
  // A frame split across reads.
  #held: Uint8Array | null = null;
  #heldLength = 0;

  constructor(context: FrameContext) {
    this.#context = context;
    this.#maxFrameSize = context.limits.maxFrameSize;
  }

  /** The preface or the client's first SETTINGS is still awaited. */
  get inPreface(): boolean {
    return this.#phase < PHASE_FRAMES;
  }

  /** Input is ignored from now on (a connection error was answered, or the connection ends). */
  get stopped(): boolean {
    return this.#phase === PHASE_DONE;
  }

  stop(): void {
    this.#phase = PHASE_DONE;
    this.#heldLength = 0;
  }

  /** Handle the bytes of one read. */
  read(bytes: Uint8Array): void {
    const end = bytes.length;
    let at = 0;
    if (this.#phase === PHASE_PREFACE) {
      const preface = CLIENT_PREFACE;
      while (at < end && this.#prefaceAt < preface.length) {
        if (bytes[at] !== preface[this.#prefaceAt]) {
          // §3.4: "Clients and servers MUST treat an invalid connection preface as a connection
          // error of type PROTOCOL_ERROR."
          this.#context.session.fail(
            new ConnectionError("INVALID_PREFACE", "Invalid connection preface (RFC 9113 §3.4)"),
          );
          return;
        }
        at++;
        this.#prefaceAt++;
      }
      if (this.#prefaceAt < preface.length) return;
      this.#phase = PHASE_SETTINGS;
    }
    if (this.#heldLength > 0) {
      at = this.#completeHeld(bytes, at);
      if (at < 0 || this.#phase === PHASE_DONE) return;
    }
    const f = this.#frame;
    const maxFrameSize = this.#maxFrameSize;
    while (end - at >= FRAME_HEADER_LENGTH) {
      readFrameHeader(bytes, at, f);
      if (f.length > maxFrameSize) return this.#frameTooLarge(f);
      const total = FRAME_HEADER_LENGTH + f.length;
      if (end - at < total) break;
      this.#handle(bytes, at + FRAME_HEADER_LENGTH);
      if (this.#phase === PHASE_DONE) return;
      at += total;
    }
    if (at < end) {
      const held = (this.#held ??= new Uint8Array(FRAME_HEADER_LENGTH + maxFrameSize));
      held.set(bytes.subarray(at, end));
      this.#heldLength = end - at;
    }
  }

  /** Complete a frame split across reads; returns where the unread input starts, or -1 when all went into the held frame. */
  #completeHeld(bytes: Uint8Array, at: number): number {
    const held = this.#held!;
    const end = bytes.length;
    if (this.#heldLength < FRAME_HEADER_LENGTH) {
      const take = Math.min(FRAME_HEADER_LENGTH - this.#heldLength, end - at);
      held.set(bytes.subarray(at, at + take), this.#heldLength);
      this.#heldLength += take;
      at += take;
      if (this.#heldLength < FRAME_HEADER_LENGTH) return -1;
    }
    const f = this.#frame;
    readFrameHeader(held, 0, f);
    if (f.length > this.#maxFrameSize) {
      this.#frameTooLarge(f);
      return -1;
    }
    const total = FRAME_HEADER_LENGTH + f.length;
    const take = Math.min(total - this.#heldLength, end - at);
    held.set(bytes.subarray(at, at + take), this.#heldLength);
    this.#heldLength += take;
    at += take;
    if (this.#heldLength < total) return -1;
    this.#heldLength = 0;
    this.#handle(held, FRAME_HEADER_LENGTH);
    return at;
  }

  #frameTooLarge(f: Frame): void {
    // §4.2: "An endpoint MUST send an error code of FRAME_SIZE_ERROR if a frame exceeds the size
    // defined in SETTINGS_MAX_FRAME_SIZE"; we do not read past it, so it ends the connection.
    this.#context.session.fail(
      new ConnectionError(
        "FRAME_TOO_LARGE",
        `${
          frameTypeName(f.type)
        } frame of ${f.length} octets exceeds SETTINGS_MAX_FRAME_SIZE ${this.#maxFrameSize} (RFC 9113 §4.2)`,
      ),
    );
  }

  /** One complete frame; its header is in `#frame`, its payload at `b[p..]`. */
  #handle(b: Uint8Array, p: number): void {
    const f = this.#frame;
    const context = this.#context;
    try {
      context.blocks.checkInterleave(f);
      if (this.#phase === PHASE_SETTINGS) {
        // §3.4: the client preface "MUST be followed by a SETTINGS frame".
        if (f.type !== FRAME_SETTINGS || (f.flags & FLAG_ACK) !== 0) {
          throw new ConnectionError(
            "SETTINGS_EXPECTED",
            "The client preface must be followed by a SETTINGS frame (RFC 9113 §3.4)",
          );
        }
        this.#phase = PHASE_FRAMES;
      }
      context.hold.nextFrame(f.type, f.streamId);
      parseFrame(f, b, p);
      handleFrame(context, f, b);
    } catch (error) {
      if (error instanceof ConnectionError || error instanceof StreamError) context.session.fail(error);
      else throw error;
    }
  }
}
