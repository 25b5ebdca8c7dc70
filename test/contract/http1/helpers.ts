/**
 * Helpers shared by the HTTP/1.1 case files: requests written as raw bytes, and the two verdicts
 * most rejection cases end with.
 */
import assert from "node:assert/strict";
import { RawClient, sleep } from "../harness.ts";
import { header, parseResponses, type RawResponse } from "../raw-response.ts";

/** Wait a moment and check the connection is still open. */
export async function assertOpen(client: RawClient): Promise<void> {
  await sleep(30);
  assert.equal(client.closed, false, "the server closed a connection that should stay open");
}

/** The server answers `bytes` with exactly one `status` response, says `connection: close`, and closes. */
export async function expectRejected(port: number, bytes: string, status: number): Promise<RawResponse> {
  const client = await RawClient.open(port);
  try {
    // The server may close before it has read everything; a failed write is not the point here.
    await client.write(bytes).catch(() => {});
    const text = await client.untilClosed();
    const { responses, rest } = parseResponses(text, [], true);
    assert.equal(responses.length, 1, `expected exactly one response, got: ${JSON.stringify(text.slice(0, 400))}`);
    const response = responses[0]!;
    assert.equal(response.status, status, `expected ${status}, got: ${JSON.stringify(text.slice(0, 400))}`);
    assert.equal(rest, "");
    assert.equal(
      header(response, "connection"),
      "close",
      "a response before closing says `connection: close` (RFC 9112 §9.6)",
    );
    assert.ok(client.closed);
    return response;
  } finally {
    client.close();
  }
}

/** `bytes` gets 413; then the server either closes (saying so) or answers a request pipelined after it. */
export async function expect413ThenCloseOrNext(port: number, bytes: string): Promise<void> {
  const client = await RawClient.open(port);
  try {
    await client.write(bytes + get("/users/9")).catch(() => {});
    const text = await client.until((t) => parseResponses(t).responses.length >= 2);
    const { responses, rest } = parseResponses(text, [], client.closed);
    assert.ok(responses.length >= 1, `no response: ${JSON.stringify(text)}`);
    assert.equal(responses[0]!.status, 413);
    if (responses.length === 1) {
      assert.equal(
        header(responses[0]!, "connection"),
        "close",
        "a response before closing says `connection: close` (RFC 9112 §9.6)",
      );
      assert.equal(rest, "");
    } else {
      assert.equal(header(responses[0]!, "connection"), undefined);
      assert.equal(responses[1]!.status, 200);
      assert.equal(responses[1]!.body, '{"id":"9"}');
    }
  } finally {
    client.close();
  }
}

export const H = "Host: test\r\n";
export const get = (path: string, extra = ""): string => `GET ${path} HTTP/1.1\r\n${H}${extra}\r\n`;
