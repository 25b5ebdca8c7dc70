/**
 * An HTTP/1.1 client over `node:http` (Node, Bun and Deno all have it), for cases that need the
 * body exactly as it travelled: unlike `fetch`, it never decodes a Content-Encoding, so a
 * compressed body arrives compressed and the test decompresses it itself. Checked on Bun 1.4.5
 * and Deno 2.9.6 before writing this: a gzip body stays gzip, and a chunk of a slow chunked body is
 * delivered when it arrives.
 */
import * as http from "node:http";
import {
  type ClientRequest,
  type ClientResponse,
  type HttpClient,
  readAll,
  type StreamingResponse,
} from "./http-client.ts";

function toHeaders(raw: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

async function* chunksOf(response: http.IncomingMessage): AsyncGenerator<Uint8Array> {
  for await (const chunk of response as AsyncIterable<Uint8Array>) {
    yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

/** An HTTP/1.1 client over `node:http` with a keep-alive agent. */
export class NodeHttp1Client implements HttpClient {
  readonly protocol = "http/1.1" as const;
  readonly #port: number;
  readonly #agent = new http.Agent({ keepAlive: true });

  constructor(port: number) {
    this.#port = port;
  }

  open(request: ClientRequest): Promise<StreamingResponse> {
    if (request.trailers !== undefined) throw new Error("this client sends no request trailers");
    if (request.body !== undefined && typeof request.body !== "string" && !(request.body instanceof Uint8Array)) {
      throw new Error("this client sends whole bodies only");
    }
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of request.headers ?? []) {
        const had = headers[name];
        headers[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
      }
      const req = http.request({
        host: "127.0.0.1",
        port: this.#port,
        method: request.method ?? "GET",
        path: request.path,
        headers,
        agent: this.#agent,
        signal: request.signal,
      }, (response) => {
        resolve({
          status: response.statusCode ?? 0,
          headers: toHeaders(response.rawHeaders),
          body: chunksOf(response),
          trailers: null,
        });
      });
      req.on("error", reject);
      req.end(request.body);
    });
  }

  async request(request: ClientRequest): Promise<ClientResponse> {
    return await readAll(await this.open(request));
  }

  destroy(): void {
    this.#agent.destroy();
  }

  close(): Promise<void> {
    this.#agent.destroy();
    return Promise.resolve();
  }
}
