// `Upgrade: h2c` (RFC 7540 §3.2) over a fake transport: 101, then HTTP/2 with the request as
// stream 1 (half-closed remote), then the client preface.
import { describe, expect, it } from "vitest";
import { App } from "../app/app.ts";
import type { Exchange } from "../exchange/exchange.ts";
import { isUpgradable } from "../session/upgrade.ts";
import { errorCodeName } from "../http2/errors.ts";
import { CLIENT_PREFACE } from "../http2/frame-types.ts";
import { upgradeToHttp2 } from "./h2c-upgrade.ts";
import { encodeSettings, SETTINGS_INITIAL_WINDOW_SIZE } from "../http2/settings.ts";
import { bodyOf, field, type OutFrame, settle, TestPeer, trace } from "../../test/support/h2-test-peer.ts";

const t = (frames: OutFrame[]): string[] => trace(frames, errorCodeName);

/** What the lead wires into the HTTP/1.1 path: try the upgrade first, else serve over HTTP/1.1. */
class H2cApp extends App {
  override dispatch(exchange: Exchange): void {
    if (isUpgradable(exchange) && upgradeToHttp2(exchange)) return;
    super.dispatch(exchange);
  }
}

function app(): App {
  const a = new H2cApp();
  a.get("/", (c) => c.text(`Hello over ${c.req.header("upgrade") === undefined ? "h2" : "h1"}`));
  a.post("/", async (c) => c.text(`posted ${(await c.req.text()).length}`));
  return a;
}

function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const SETTINGS = base64url(encodeSettings([[3, 100], [SETTINGS_INITIAL_WINDOW_SIZE, 65535]]));

function request(extra = "", settings = SETTINGS, method = "GET"): string {
  return `${method} / HTTP/1.1\r\nHost: test.local\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: ${settings}\r\n${extra}\r\n`;
}

describe("Upgrade: h2c (RFC 7540 §3.2)", () => {
  it("switches with 101 and answers the request on stream 1 over HTTP/2", async () => {
    const p = new TestPeer(app());
    p.transport.send(request());
    await settle();
    expect(p.takeText()).toBe("HTTP/1.1 101 Switching Protocols\r\nconnection: Upgrade\r\nupgrade: h2c\r\n\r\n");
    const frames = p.frames();
    expect(t(frames)).toEqual(["SETTINGS", `WINDOW_UPDATE 0 ${1024 * 1024 - 65535}`, "HEADERS 1 200", "DATA 1 13 es"]);
    expect(bodyOf(frames, 1)).toBe("Hello over h2");
    // Then the client preface; the connection goes on with stream 3.
    p.send(CLIENT_PREFACE, p.settings([]), p.get(3));
    expect(t(p.frames())).toEqual(["SETTINGS ack", "HEADERS 3 200", "DATA 3 13 es"]);
  });

  it("applies HTTP2-Settings as the client's first SETTINGS (§3.2.1)", async () => {
    const p = new TestPeer(app());
    p.transport.send(request("", base64url(encodeSettings([[SETTINGS_INITIAL_WINDOW_SIZE, 5]]))));
    await settle();
    p.takeText();
    expect(t(p.frames()).slice(2)).toEqual(["HEADERS 1 200", "DATA 1 5"]);
    p.send(CLIENT_PREFACE, p.settings([]), p.windowUpdate(1, 100));
    expect(t(p.frames())).toEqual(["SETTINGS ack", "DATA 1 8 es"]);
  });

  it("keeps stream 1 half-closed (remote): DATA on it is a stream error", async () => {
    const p = new TestPeer(app());
    p.transport.send(request("", base64url(encodeSettings([[SETTINGS_INITIAL_WINDOW_SIZE, 0]]))));
    await settle();
    p.takeText();
    p.frames();
    p.send(CLIENT_PREFACE, p.settings([]), p.data(1, "x"));
    expect(t(p.frames())).toEqual(["SETTINGS ack", "RST_STREAM 1 STREAM_CLOSED"]);
  });

  it("drops hop-by-hop fields from the upgraded request", async () => {
    const seen: string[][] = [];
    const a = new H2cApp();
    a.get("/", (c) => {
      seen.push(c.exchange.head.headers);
      return c.text("ok");
    });
    const p = new TestPeer(a);
    p.transport.send(request("X-Keep: 1\r\n"));
    await settle();
    expect(seen[0]).toEqual(["host", "test.local", "x-keep", "1"]);
  });

  it.each([
    ["a request with a body", request("Content-Length: 3\r\n", SETTINGS, "POST") + "abc", "posted 3"],
    ["no HTTP2-Settings", "GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n", "Hello over h1"],
    [
      "HTTP2-Settings not a connection option",
      "GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: h2c\r\nHTTP2-Settings: \r\n\r\n",
      "Hello over h1",
    ],
    ["two HTTP2-Settings fields", request(`HTTP2-Settings: ${SETTINGS}\r\n`), "Hello over h1"],
    ["invalid base64url", request("", "!!!"), "Hello over h1"],
    ["an invalid setting", request("", base64url(encodeSettings([[2, 7]]))), "Hello over h1"],
    [
      "another protocol",
      "GET / HTTP/1.1\r\nHost: t\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2\r\nHTTP2-Settings: \r\n\r\n",
      "Hello over h1",
    ],
  ])("declines %s and answers over HTTP/1.1", async (_name, text, body) => {
    const p = new TestPeer(app());
    p.transport.send(text);
    await settle();
    const out = p.transport.text();
    expect(out).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(out.endsWith(body)).toBe(true);
  });

  it("serves the upgraded request's response headers like any HTTP/2 response", async () => {
    const p = new TestPeer(app());
    p.transport.send(request());
    await settle();
    p.takeText();
    const headers = p.frames().find((f) => f.streamId === 1)!;
    expect(field(headers.fields, "content-length")).toBe("13");
    expect(field(headers.fields, "connection")).toBeUndefined();
  });
});
