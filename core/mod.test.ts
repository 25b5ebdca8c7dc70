import { describe, expect, it } from "vitest";
import { serveBytes } from "../examples/bytes.ts";
import { App } from "../mod.ts";

// The documented wirecore/core example: one request from a byte array, no socket.
describe("wirecore/core: bytes in, bytes out", () => {
  it("serves a request given as bytes and closes after `connection: close`", async () => {
    const app = new App().get("/hello/:name", (c) => c.text(`Hello, ${c.params.name}!`));
    const request = new TextEncoder().encode("GET /hello/bytes HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const response = new TextDecoder().decode(await serveBytes(app, request));
    expect(response.startsWith("HTTP/1.1 200 OK\r\n")).toBe(true);
    expect(response).toMatch(/\r\ncontent-length: 13\r\n/i);
    expect(response).toMatch(/\r\nconnection: close\r\n/i);
    expect(response.endsWith("\r\n\r\nHello, bytes!")).toBe(true);
  });

  it("answers a malformed request with 400 and closes", async () => {
    const response = new TextDecoder().decode(
      await serveBytes(new App(), new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n")),
    );
    expect(response.startsWith("HTTP/1.1 400 Bad Request\r\n")).toBe(true);
  });
});
