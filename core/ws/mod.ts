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
export { Utf8Validator, isValidUtf8 } from "./utf8-validator.ts";
export { unmask } from "./mask.ts";
export { sha1 } from "./sha1.ts";
export {
  FrameParser,
  DEFAULT_MAX_MESSAGE_SIZE,
  type FrameParserEvents,
  type FrameParserOptions,
} from "./frame-parser.ts";
export { MessageAssembler } from "./message-assembler.ts";
export {
  MAX_CLOSE_REASON,
  MAX_FRAME_HEADER,
  encodeCloseFrame,
  encodeFrame,
  encodePingFrame,
  encodePongFrame,
  encodeTextFrame,
  frameHeaderSize,
  truncateUtf8,
  writeFrameHeader,
} from "./frame-writer.ts";
export {
  checkHandshake,
  computeAccept,
  handshakeResponse,
  type HandshakeAccepted,
  type HandshakeRejected,
  type HandshakeRequest,
  type HandshakeResult,
} from "./handshake.ts";
export {
  formatExtensions,
  isToken,
  parseExtensions,
  type ExtensionOffer,
  type ExtensionParam,
} from "./extension-header.ts";
export {
  PERMESSAGE_DEFLATE,
  negotiatePerMessageDeflate,
  type PerMessageDeflateAgreement,
  type PerMessageDeflateOptions,
  type PerMessageDeflateParams,
} from "./permessage-deflate.ts";
export type { DeflateProvider, RawDeflater, RawInflater } from "./deflate-provider.ts";
export { PerMessageCodec } from "./permessage-codec.ts";
