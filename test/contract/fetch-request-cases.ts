/**
 * The Request a fetch handler gets, against the web standard (Fetch, WHATWG URL), on wirecore
 * and beside the runtime's own server: URL forms (origin, absolute, asterisk), normalisation
 * (dot segments, percent-encoding, host case, default port), methods, header lists (case,
 * order, combined values, obs-text) and bodies (none, Content-Length, chunked, bodyUsed).
 * Each case sends the same raw bytes to both servers; wirecore must give what the standard
 * says, the native server's answer is printed beside it.
 */
import assert from "node:assert/strict";
import type { Runtime, TestApi } from "./harness.ts";
import { latin1Bytes, report, send, useFetchPair } from "./fetch-pair.ts";
import { header, type RawResponse } from "./raw-response.ts";

/** What the echo handler tells about the Request it got. */
interface RequestView {
  method: string;
  url: string;
  headers: [string, string][];
  hasBody: boolean;
  body: string | null;
  bodyUsed: boolean;
}

async function viewOf(request: Request): Promise<RequestView> {
  const hasBody = request.body !== null;
  const body = hasBody ? await request.text() : null;
  // The Host field is the runtime's business; the cases look at every other header.
  const headers = [...request.headers].filter(([name]) => name !== "host");
  return { method: request.method, url: request.url, headers, hasBody, body, bodyUsed: request.bodyUsed };
}

interface RequestCase {
  name: string;
  raw: string;
  /** The part of the view the case is about. */
  pick: (view: RequestView) => unknown;
  /** What the standard says the handler sees. */
  standard: unknown;
  /**
   * What this runtime's own Request constructor makes of it, where that decides: wirecore hands
   * the handler a Request the runtime built, so it cannot be more standard than the runtime.
   */
  runtime?: () => unknown;
}

const H = "Host: example.test\r\n";
const url = (view: RequestView): string => view.url;
const headers = (view: RequestView): [string, string][] => view.headers;
const body = (view: RequestView): unknown => ({ hasBody: view.hasBody, body: view.body, bodyUsed: view.bodyUsed });

const CASES: RequestCase[] = [
  // ── URL (RFC 9112 §3.3 target URI, then the WHATWG URL parser) ──
  {
    name: "origin-form: scheme, Host and target make the URL",
    raw: `GET /a/b?x=1&y=2 HTTP/1.1\r\n${H}\r\n`,
    pick: url,
    standard: "http://example.test/a/b?x=1&y=2",
  },
  {
    name: "dot segments are removed (WHATWG URL path state)",
    raw: `GET /a/./b/../c HTTP/1.1\r\n${H}\r\n`,
    pick: url,
    standard: "http://example.test/a/c",
  },
  {
    name: "%2e%2e counts as a dot segment (WHATWG URL double-dot segment)",
    raw: `GET /a/%2e%2E/b HTTP/1.1\r\n${H}\r\n`,
    pick: url,
    standard: "http://example.test/b",
  },
  {
    name: "percent-encoding is kept as sent, valid or not",
    raw: `GET /%7Euser/a%20b/%zz?q=%41%zz HTTP/1.1\r\n${H}\r\n`,
    pick: url,
    standard: "http://example.test/%7Euser/a%20b/%zz?q=%41%zz",
  },
  {
    name: "characters of the path and query percent-encode sets are encoded",
    raw: `GET /x{y}\`?a"b'c HTTP/1.1\r\n${H}\r\n`,
    pick: url,
    standard: "http://example.test/x%7By%7D%60?a%22b%27c",
  },
  {
    name: "an empty query keeps its '?'",
    raw: `GET /p? HTTP/1.1\r\n${H}\r\n`,
    pick: url,
    standard: "http://example.test/p?",
  },
  {
    name: "host is lowercased and the default port dropped",
    raw: "GET / HTTP/1.1\r\nHost: EXAMPLE.Test:80\r\n\r\n",
    pick: url,
    standard: "http://example.test/",
  },
  {
    name: "a non-default port stays",
    raw: "GET /x HTTP/1.1\r\nHost: example.test:8080\r\n\r\n",
    pick: url,
    standard: "http://example.test:8080/x",
  },
  {
    name: "an IPv6 literal host",
    raw: "GET /x HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n",
    pick: url,
    standard: "http://[::1]:8080/x",
  },
  {
    name: "absolute-form: the target's authority wins over Host (RFC 9112 §3.2.2)",
    raw: `GET http://other.test/x?y HTTP/1.1\r\n${H}\r\n`,
    pick: url,
    standard: "http://other.test/x?y",
  },
  {
    name: "asterisk-form OPTIONS * (no standard URL; wirecore gives the path /*)",
    raw: `OPTIONS * HTTP/1.1\r\n${H}\r\n`,
    pick: (view) => [view.method, view.url],
    standard: ["OPTIONS", "http://example.test/*"],
  },
  // ── methods (Fetch: normalize a method) ──
  {
    name: "get is normalised to GET (Fetch normalizes DELETE GET HEAD OPTIONS POST PUT)",
    raw: `get /m HTTP/1.1\r\n${H}\r\n`,
    pick: (view) => view.method,
    standard: "GET",
  },
  {
    name: "patch stays patch (not in Fetch's normalise list)",
    raw: `patch /m HTTP/1.1\r\n${H}Content-Length: 0\r\n\r\n`,
    pick: (view) => view.method,
    standard: "patch",
    runtime: () => new Request("http://example.test/", { method: "patch" }).method,
  },
  {
    name: "an extension method stays as sent",
    raw: `PROPFIND /m HTTP/1.1\r\n${H}\r\n`,
    pick: (view) => view.method,
    standard: "PROPFIND",
  },
  // ── headers (Fetch: Headers sort and combine) ──
  {
    name: "header names are lowercased, sorted, repeated fields combined with ', '",
    raw: `GET / HTTP/1.1\r\n${H}X-B: 2\r\nX-A: 1\r\nx-a: 3\r\n\r\n`,
    pick: headers,
    standard: [["x-a", "1, 3"], ["x-b", "2"]],
  },
  {
    // Fetch's Headers would join with ", ", which makes the two cookies one; undici and Bun join
    // Cookie with "; ", the cookie-string separator (RFC 6265 §4.2.1), as HTTP/2 joins cookie
    // crumbs (RFC 9113 §8.2.3). wirecore does the same on every runtime.
    name: "two Cookie lines are joined with '; ' (RFC 6265 §4.2.1, RFC 9113 §8.2.3)",
    raw: `GET / HTTP/1.1\r\n${H}Cookie: a=1\r\nCookie: b=2\r\n\r\n`,
    pick: headers,
    standard: [["cookie", "a=1; b=2"]],
  },
  {
    name: "obs-text bytes are decoded one byte per code point (Fetch: isomorphic decode)",
    raw: `GET / HTTP/1.1\r\n${H}X-Latin: caf\xe9\r\n\r\n`,
    pick: headers,
    standard: [["x-latin", "caf\u00e9"]],
  },
  {
    name: "an empty field value stays",
    raw: `GET / HTTP/1.1\r\n${H}X-Empty:\r\n\r\n`,
    pick: headers,
    standard: [["x-empty", ""]],
  },
  // ── bodies ──
  {
    name: "GET without a body: body is null",
    raw: `GET / HTTP/1.1\r\n${H}\r\n`,
    pick: body,
    standard: { hasBody: false, body: null, bodyUsed: false },
  },
  {
    name: "HEAD: body is null",
    raw: `HEAD / HTTP/1.1\r\n${H}\r\n`,
    pick: (view) => [view.method, view.hasBody],
    standard: ["HEAD", false],
  },
  {
    name: "POST with Content-Length: body read, bodyUsed after",
    raw: `POST / HTTP/1.1\r\n${H}Content-Length: 5\r\n\r\nhello`,
    pick: body,
    standard: { hasBody: true, body: "hello", bodyUsed: true },
  },
  {
    name: "POST chunked: the body streams in, bodyUsed after",
    raw: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n`,
    pick: body,
    standard: { hasBody: true, body: "abcdefg", bodyUsed: true },
  },
  {
    name: "framing fields reach the handler as sent",
    raw: `POST / HTTP/1.1\r\n${H}Content-Length: 2\r\nContent-Type: text/plain\r\n\r\nok`,
    pick: headers,
    standard: [["content-length", "2"], ["content-type", "text/plain"]],
  },
];

/** Register the request-side cases. */
export function fetchRequestCases(t: TestApi, runtime: Runtime): void {
  t.describe("fetch path: the Request a handler gets (web standard; wirecore beside the native server)", () => {
    const pair = useFetchPair(t, runtime, () => async (request) => {
      const view = await viewOf(request);
      // A response to HEAD has no body: the view goes in a field.
      return request.method === "HEAD"
        ? new Response(null, { headers: { "x-view": JSON.stringify(view) } })
        : Response.json(view);
    });
    for (const c of CASES) {
      const runtimeGives = c.runtime?.();
      const deviates = c.runtime !== undefined && JSON.stringify(runtimeGives) !== JSON.stringify(c.standard);
      const expected = deviates ? runtimeGives : c.standard;
      const note = deviates ? ` [${runtime.name}'s Request gives ${JSON.stringify(runtimeGives)}]` : "";
      t.it(c.name + note, async () => {
        const method = c.raw.slice(0, c.raw.indexOf(" "));
        const [ours, theirs] = await Promise.all([
          send(pair.wirecore, c.raw, method),
          send(pair.native, c.raw, method),
        ]);
        const pick = (response: RawResponse | null): unknown => {
          if (response === null) return "closed without a response";
          if (response.status !== 200) return `status ${response.status}`;
          // The raw reader gives latin1; the JSON body is UTF-8, the x-view field latin1 (ByteString).
          const text = method === "HEAD"
            ? header(response, "x-view") ?? "null"
            : new TextDecoder().decode(latin1Bytes(response.body));
          return c.pick(JSON.parse(text) as RequestView);
        };
        const wirecore = pick(ours);
        report(runtime, c.name, wirecore, pick(theirs), c.standard);
        assert.equal(ours?.status, 200);
        assert.deepEqual(wirecore, expected);
      });
    }
  });
}
