import { describe, expect, it } from "vitest";
import { isCompressible } from "./compressible.ts";

describe("isCompressible", () => {
  it("compresses text, JSON, SVG, event streams, unknown binary and untyped bodies", () => {
    for (
      const type of [
        "text/html; charset=utf-8",
        "application/json",
        "image/svg+xml",
        "text/event-stream",
        "application/octet-stream",
        "IMAGE/BMP",
        undefined,
      ]
    ) {
      expect(isCompressible(type), String(type)).toBe(true);
    }
  });
  it("leaves already-compressed types alone", () => {
    for (
      const type of [
        "image/png",
        "image/webp",
        "video/mp4",
        "audio/mpeg",
        "application/zip",
        "application/gzip",
        "font/woff2",
        "application/epub+zip",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Application/ZSTD ; x=1",
      ]
    ) {
      expect(isCompressible(type), type).toBe(false);
    }
  });
});
