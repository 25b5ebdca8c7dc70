/** One HTTP/1.1 request with its target sent byte for byte (no client normalises it), over a fresh connection. */
import { RawClient } from "../harness.ts";
import { parseResponses } from "../raw-response.ts";

export async function rawRequest(
  port: number,
  target: string,
  method = "GET",
): Promise<{ status: number; body: string }> {
  const client = await RawClient.open(port);
  try {
    await client.write(`${method} ${target} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n`);
    const text = await client.untilClosed();
    const { responses } = parseResponses(text, [method], true);
    const response = responses[0];
    if (response === undefined) throw new Error(`No response to ${target}: ${JSON.stringify(text.slice(0, 200))}`);
    return { status: response.status, body: response.body };
  } finally {
    client.close();
  }
}
