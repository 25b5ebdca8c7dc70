/**
 * The flood penalty (`floodPenalty`): an address whose HTTP/2 connections keep being cut for
 * flooding (GOAWAY ENHANCE_YOUR_CALM) has its new connections refused for a while — `429` with
 * `Retry-After` over HTTP/1.1, GOAWAY ENHANCE_YOUR_CALM over HTTP/2, once a second; the others
 * closed unanswered — while the connections it already has are served as before, and it is served
 * again once the penalty runs out.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { App } from "../../core/app/app.ts";
import { RawClient, type Runtime, sleep, type TestApi, useServer } from "./harness.ts";
import { goaway, h2Exchange, h2Frame, PREFACE } from "./h2-frames.ts";
import { header, parseResponses } from "./raw-response.ts";

const GET = "GET / HTTP/1.1\r\nHost: test\r\n\r\n";
const HEADERS = 0x1, RST_STREAM = 0x3, SETTINGS = 0x4;
const END_STREAM_AND_HEADERS = 0x5;
const CANCEL = 0x8, ENHANCE_YOUR_CALM = 0xb;
/** `GET /` with `:authority: t`: indexed :method, :scheme, :path; a literal :authority (RFC 7541 §6.1, §6.2.2). */
const GET_BLOCK = Uint8Array.of(0x82, 0x86, 0x84, 0x01, 0x01, 0x74);

/** A Rapid Reset burst (CVE-2023-44487): `GET /` and its RST_STREAM(CANCEL), 20 times over. */
async function resetFlood(port: number): Promise<void> {
  const frames = [PREFACE, h2Frame(SETTINGS, 0, 0)];
  for (let id = 1; id < 40; id += 2) {
    frames.push(h2Frame(HEADERS, END_STREAM_AND_HEADERS, id, GET_BLOCK));
    frames.push(h2Frame(RST_STREAM, 0, id, Uint8Array.of(0, 0, 0, CANCEL)));
  }
  const { code } = goaway(await h2Exchange(port, Buffer.concat(frames)));
  assert.equal(code, ENHANCE_YOUR_CALM, "the flood is cut with ENHANCE_YOUR_CALM");
}

/** `GET /` on a new connection: its status, or 0 when the server closed it without an answer. */
async function get(port: number): Promise<{ status: number; retryAfter: string | undefined }> {
  const client = await RawClient.open(port);
  try {
    await client.write(GET);
    const text = await client.until((text) =>
      text.includes("\r\n\r\n") && (text.includes("ok") || text.includes("flooding"))
    );
    if (text === "") return { status: 0, retryAfter: undefined }; // closed unanswered
    const { responses } = parseResponses(text, [], true);
    assert.ok(responses.length > 0, text);
    return { status: responses[0]!.status, retryAfter: header(responses[0]!, "retry-after") };
  } finally {
    client.close();
  }
}

function app(): App {
  return new App().get("/", (c) => c.text("ok"));
}

export function floodPenaltyCases(t: TestApi, runtime: Runtime): void {
  t.describe("floodPenalty", () => {
    const s = useServer(t, runtime, app, {
      http2: { maxResets: 4 },
      floodPenalty: { strikes: 2, windowMs: 10_000, penaltyMs: 4_000 },
    });

    t.it(
      "refuses an address cut twice for flooding — 429, unanswered, GOAWAY ENHANCE_YOUR_CALM — then serves it again",
      async () => {
        const bystander = await RawClient.open(s.port); // opened before the penalty
        try {
          await bystander.write(GET);
          await bystander.until((text) => text.includes("\r\n\r\nok"));
          const refusedBefore = s.server.stats().refused;

          await resetFlood(s.port);
          assert.equal((await get(s.port)).status, 200, "one strike is not yet a penalty");
          await resetFlood(s.port);

          const refused = await get(s.port);
          assert.equal(refused.status, 429);
          assert.ok(["3", "4", "5"].includes(refused.retryAfter ?? ""), `Retry-After ${refused.retryAfter}`);
          // One refusal a second is answered; the others are closed at once, unread. Of three
          // connections right after the 429, at most one is answered (the server's clock may
          // tick between them).
          const preface = Buffer.concat([PREFACE, h2Frame(SETTINGS, 0, 0)]);
          const quick = [];
          for (let i = 0; i < 3; i++) quick.push(await h2Exchange(s.port, preface));
          assert.ok(quick.filter((frames) => frames.length > 0).length <= 1, `answered: ${JSON.stringify(quick)}`);
          // Then an HTTP/2 client is answered in its protocol.
          let frames = quick.find((frames) => frames.length > 0) ?? [];
          for (let attempt = 0; frames.length === 0; attempt++) {
            assert.ok(attempt < 12, "no refusal answered 3 s after the last");
            await sleep(250);
            frames = await h2Exchange(s.port, preface);
          }
          assert.deepEqual(goaway(frames), { lastStream: 0, code: ENHANCE_YOUR_CALM });
          assert.ok(s.server.stats().refused - refusedBefore >= 4, "every refusal is counted");

          await bystander.write(GET);
          await bystander.until((text) => text.split("\r\n\r\nok").length === 3);

          for (let attempt = 0;; attempt++) {
            await sleep(250);
            if ((await get(s.port)).status === 200) break;
            assert.ok(attempt < 40, "still refused 10 s after a 4 s penalty");
          }
        } finally {
          bystander.close();
        }
      },
      20_000,
    );
  });

  t.describe("floodPenalty: false", () => {
    const s = useServer(t, runtime, app, { http2: { maxResets: 4 }, floodPenalty: false });

    t.it("cuts each flood but refuses no address", async () => {
      for (let round = 0; round < 4; round++) await resetFlood(s.port);
      assert.equal((await get(s.port)).status, 200);
    }, 20_000);
  });
}
