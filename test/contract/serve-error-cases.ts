/**
 * Failures of `serve()` itself, the same on every runtime: `server.ready` rejects with a
 * ServeError whose `code` does not depend on the runtime's own words (Node's error event, Bun's
 * "Failed to listen", Deno's AddrInUse). EACCES needs a privileged port and an unprivileged
 * user: test/examples.node.test.ts covers it by spawning the reference servers.
 */
import assert from "node:assert/strict";
import { App, ServeError, type ServeErrorCode } from "../../mod.ts";
import type { ServeOptions } from "../../core/server/options.ts";
import { type Runtime, start, type TestApi } from "./harness.ts";
import { cert, key } from "./tls-fixture.ts";

/** `serve()` with `options` must not throw, and its `ready` must reject with `code`. */
async function expectServeError(runtime: Runtime, options: ServeOptions, code: ServeErrorCode): Promise<ServeError> {
  const app = new App().get("/", (c) => c.text("never"));
  const server = runtime.serve(app, { hostname: "127.0.0.1", onError: () => {}, ...options });
  let failure: unknown = null;
  try {
    await server.ready;
  } catch (error) {
    failure = error;
  }
  if (failure === null) {
    await server.close();
    assert.fail(`serve(${JSON.stringify({ ...options, tls: undefined })}) listened; expected ${code}`);
  }
  assert.ok(failure instanceof ServeError, `expected a ServeError, got ${String(failure)}`);
  assert.equal(failure.code, code, failure.message);
  assert.equal(failure.name, "ServeError");
  assert.ok(!failure.message.includes("\n"), "one line");
  assert.ok(failure.message.endsWith(`(${code})`), failure.message);
  // A server that never listened shuts down at once, whatever is asked of it.
  await server.shutdown();
  await server.close();
  return failure;
}

/** Register the serve() failure cases for one runtime. */
export function serveErrorCases(t: TestApi, runtime: Runtime): void {
  t.describe("serve() failures reject server.ready with a ServeError", () => {
    t.it("EADDRINUSE: the port is taken", async () => {
      const first = await start(runtime, new App().get("/", (c) => c.text("first")));
      try {
        const { port } = first.address;
        const error = await expectServeError(runtime, { port }, "EADDRINUSE");
        assert.equal(error.port, port);
        assert.equal(error.hostname, "127.0.0.1");
        assert.equal(error.message, `Cannot listen on 127.0.0.1:${port}: the address is already in use (EADDRINUSE)`);
        assert.ok(error.cause !== undefined, "the runtime's own error is kept as cause");
        // The first server is untouched.
        assert.equal(await (await fetch(`http://127.0.0.1:${port}/`)).text(), "first");
      } finally {
        await first.close();
      }
    });

    t.it("ENOTFOUND: the hostname does not resolve (RFC 6761 §6.4: .invalid never does)", async () => {
      await expectServeError(runtime, { hostname: "wirecore-test.invalid", port: 0 }, "ENOTFOUND");
    }, 30_000);

    t.it("EADDRNOTAVAIL: the hostname is an address this machine does not have (RFC 5737)", async () => {
      await expectServeError(runtime, { hostname: "192.0.2.1", port: 0 }, "EADDRNOTAVAIL");
    });

    t.it("ETLS: a certificate that is not PEM, a damaged one, a key that is not PEM", async () => {
      await expectServeError(runtime, { port: 0, tls: { cert: "not a certificate", key } }, "ETLS");
      const damaged = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
      await expectServeError(runtime, { port: 0, tls: { cert: damaged, key } }, "ETLS");
      await expectServeError(runtime, { port: 0, tls: { cert, key: "not a key" } }, "ETLS");
    });

    t.it("EINVAL: a port outside 0–65535 or not an integer, an empty hostname", async () => {
      for (const port of [70000, -1, 1.5, Number.NaN]) await expectServeError(runtime, { port }, "EINVAL");
      await expectServeError(runtime, { port: 0, hostname: "" }, "EINVAL");
    });

    t.it("still serves with the same options once the port is free", async () => {
      const server = await start(runtime, new App().get("/", (c) => c.text("fine")), { tls: { cert, key } });
      await server.close();
    });
  });
}
