/**
 * The HTTP semantics cases (RFC 9110), protocol-neutral: the same cases run over HTTP/1.1
 * (`fetch`), HTTP/2 by prior knowledge (h2c) and HTTP/2 over TLS with ALPN (`node:http2`), each
 * against this runtime's adapter. A case that only one protocol can express (trailers) says so
 * in its name. Framing and connection rules of each protocol stay in their own case files.
 */
import type { Runtime, TestApi } from "./harness.ts";
import { messageCases } from "./semantics-message-cases.ts";
import { PROTOCOLS, useSemantics } from "./semantics-setup.ts";
import { streamCases } from "./semantics-stream-cases.ts";

/** Register the semantics cases once per protocol. */
export function semanticsCases(t: TestApi, runtime: Runtime): void {
  for (const under of PROTOCOLS) {
    t.describe(`HTTP semantics over ${under.name}`, () => {
      const s = useSemantics(t, runtime, under);
      messageCases(t, s);
      streamCases(t, s);
    });
  }
}
