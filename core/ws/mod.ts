/**
 * The runtime-free WebSocket protocol core (RFC 6455, RFC 7692): handshake, frame parsing and
 * encoding, masking, UTF-8 validation, close codes, permessage-deflate negotiation and the
 * interface a runtime's zlib must satisfy.
 *
 * @module
 */
export * from "./close-codes.ts";
export { WsError } from "./ws-error.ts";
export * from "./opcodes.ts";
export { isValidUtf8, Utf8Validator } from "./utf8-validator.ts";
export { unmask } from "./mask.ts";
export { sha1 } from "./sha1.ts";
export {
  DEFAULT_MAX_MESSAGE_SIZE,
  FrameParser,
  type FrameParserEvents,
  type FrameParserOptions,
} from "./frame-parser.ts";
export { MessageAssembler } from "./message-assembler.ts";
export {
  encodeCloseFrame,
  encodeFrame,
  encodePingFrame,
  encodePongFrame,
  encodeTextFrame,
  frameHeaderSize,
  MAX_CLOSE_REASON,
  MAX_FRAME_HEADER,
  truncateUtf8,
  writeFrameHeader,
} from "./frame-writer.ts";
export {
  checkHandshake,
  computeAccept,
  type HandshakeAccepted,
  type HandshakeRejected,
  type HandshakeRequest,
  handshakeResponse,
  type HandshakeResult,
} from "./handshake.ts";
export {
  type ExtensionOffer,
  type ExtensionParam,
  formatExtensions,
  isToken,
  parseExtensions,
} from "./extension-header.ts";
export {
  negotiatePerMessageDeflate,
  PERMESSAGE_DEFLATE,
  type PerMessageDeflateAgreement,
  type PerMessageDeflateOptions,
  type PerMessageDeflateParams,
} from "./permessage-deflate.ts";
export type { DeflateProvider, RawDeflater, RawInflater } from "./deflate-provider.ts";
export { PerMessageCodec } from "./permessage-codec.ts";
