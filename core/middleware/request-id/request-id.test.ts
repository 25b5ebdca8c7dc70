import { describe, expect, it } from "vitest";
import { App } from "../../app/app.ts";
import type { ErrorInfo } from "../../server/error-report.ts";
import { isValidRequestId, nextRequestId, requestId } from "./request-id.ts";

function appWith(options: Parameters<typeof requestId>[0] = {}): App {
  return new App().use(requestId(options)).get("/", (c) => c.text(c.requestId));
}

describe("requestId()", () => {
  it("gives each request a new id, on the header and in c.requestId", async () => {
    const app = appWith();
    const a = await app.request("/");
    const b = await app.request("/");
    const idA = a.headers.get("x-request-id")!;
    expect(await a.text()).toBe(idA);
    expect(isValidRequestId(idA)).toBe(true);
    expect(b.headers.get("x-request-id")).not.toBe(idA);
  });

  it("ignores an incoming id unless the peer is a trusted proxy", async () => {
    const app = appWith({ trustProxy: ["10.0.0.0/8"] });
    const init = { headers: { "x-request-id": "upstream-42" } };
    const trusted = await app.request("/", init, { remoteAddress: "10.1.2.3" });
    expect(trusted.headers.get("x-request-id")).toBe("upstream-42");
    const client = await app.request("/", init, { remoteAddress: "203.0.113.5" });
    expect(client.headers.get("x-request-id")).not.toBe("upstream-42");
    const none = await appWith().request("/", init, { remoteAddress: "10.1.2.3" });
    expect(none.headers.get("x-request-id")).not.toBe("upstream-42");
  });

  it("replaces an invalid id from a trusted proxy", async () => {
    const app = appWith({ trustProxy: () => true });
    for (const bad of ["has space", 'a"quote', "x".repeat(129), "semi;colon", "a,b", "<script>"]) {
      const response = await app.request("/", { headers: { "x-request-id": bad } });
      const id = response.headers.get("x-request-id")!;
      expect(id).not.toBe(bad);
      expect(isValidRequestId(id)).toBe(true);
    }
    const ok = await app.request("/", { headers: { "x-request-id": "A-z_0.9~:@+=/" } });
    expect(ok.headers.get("x-request-id")).toBe("A-z_0.9~:@+=/");
  });

  it("uses another header and generator when asked", async () => {
    const app = appWith({ header: "X-Trace", generate: (c) => `gen-${c.req.path.length}` });
    const response = await app.request("/");
    expect(response.headers.get("x-trace")).toBe("gen-1");
    expect(response.headers.get("x-request-id")).toBeNull();
  });

  it("keeps the id on error answers and reports the error once, with the id", async () => {
    const reported: [unknown, ErrorInfo | undefined][] = [];
    const app = new App().use(requestId()).get("/boom", () => {
      throw new Error("boom");
    });
    app.configure(1 << 20, (error, info) => reported.push([error, info]));
    const response = await app.request("/boom");
    expect(response.status).toBe(500);
    const id = response.headers.get("x-request-id")!;
    expect(reported).toHaveLength(1);
    expect((reported[0]![0] as Error).message).toBe("boom");
    expect(reported[0]![1]).toEqual({ requestId: id, method: "GET", path: "/boom" });
  });

  it("makes ids of a per-process prefix and a counter", () => {
    const a = nextRequestId();
    const b = nextRequestId();
    const [prefixA, countA] = a.split("-");
    const [prefixB, countB] = b.split("-");
    expect(prefixA).toMatch(/^[0-9a-z]{10}$/);
    expect(prefixB).toBe(prefixA);
    expect(parseInt(countB!, 36)).toBe(parseInt(countA!, 36) + 1);
  });
});
