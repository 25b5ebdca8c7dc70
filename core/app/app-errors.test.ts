/**
 * Errors go back through middleware (core/app/compose.ts): code after `await next()` runs for a
 * thrown error, the fields middleware set stay on the error answer, and a handler that returns
 * nothing is an error naming its route. Driven through `app.request()`: no socket.
 */
import { describe, expect, it } from "vitest";
import { App } from "./app.ts";
import type { Middleware } from "./handler.ts";
import { HttpError } from "../http/http-error.ts";

/** CORS-like (before `next`) and request-id-like (after `next`) middleware, recording what they saw. */
function appWithMiddleware(): { app: App; seen: string[]; logged: unknown[] } {
  const seen: string[] = [];
  const logged: unknown[] = [];
  const cors: Middleware = async (c, next) => {
    c.header("access-control-allow-origin", "*");
    await next();
  };
  const requestId: Middleware = async (c, next) => {
    await next();
    c.header("x-request-id", "r-1");
    const error = c.error;
    seen.push(`${c.req.path} ${c.resStatus} ${error instanceof HttpError ? error.code : String(error)}`);
  };
  const app = new App().use(cors).use(requestId);
  app.configure(1024 * 1024, (error) => logged.push(error));
  return { app, seen, logged };
}

describe("errors go back through middleware", () => {
  it("runs the code after `await next()` for a thrown HttpError and keeps the middleware's fields", async () => {
    const { app, seen } = appWithMiddleware();
    app.get("/teapot", (c) => {
      c.header("content-type", "application/json"); // the failed body's own field: dropped
      throw new HttpError(418, "I'm a teapot");
    });
    const response = await app.request("/teapot");
    expect(response.status).toBe(418);
    expect(await response.text()).toBe("I'm a teapot");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("x-request-id")).toBe("r-1");
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(seen).toEqual(["/teapot 418 HTTP_ERROR"]);
  });

  it("does so for the 413 of a route's bodyLimit, declared or streamed (RFC 9110 §15.5.14)", async () => {
    const { app, seen } = appWithMiddleware();
    app.post("/small", { bodyLimit: 4 }, async (c) => c.text(await c.req.text()));
    const declared = await app.request("/small", { method: "POST", body: "too long" });
    expect(declared.status).toBe(413);
    expect(declared.headers.get("access-control-allow-origin")).toBe("*");
    expect(declared.headers.get("x-request-id")).toBe("r-1");
    const stream = new Blob(["also too long"]).stream();
    const streamed = await app.request("/small", { method: "POST", body: stream });
    expect(streamed.status).toBe(413);
    expect(streamed.headers.get("x-request-id")).toBe("r-1");
    expect(seen).toEqual(["/small 413 BODY_TOO_LARGE", "/small 413 BODY_TOO_LARGE"]);
  });

  it("answers 500 for any other error, reports it, and still runs the middleware", async () => {
    const { app, seen, logged } = appWithMiddleware();
    app.get("/boom", async () => {
      await Promise.resolve();
      throw new Error("boom");
    });
    const response = await app.request("/boom");
    expect(response.status).toBe(500);
    expect(await response.text()).toBe("Internal Server Error");
    expect(response.headers.get("x-request-id")).toBe("r-1");
    expect(seen).toEqual(["/boom 500 Error: boom"]);
    expect((logged[0] as Error).message).toBe("boom");
  });

  it("runs onError where the error was thrown: the middleware see its answer", async () => {
    const { app, seen } = appWithMiddleware();
    app.onError((error, c) => c.json({ failed: (error as Error).message }, 503));
    app.get("/down", () => {
      throw new Error("db down");
    });
    const response = await app.request("/down");
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ failed: "db down" });
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(seen).toEqual(["/down 503 Error: db down"]);
  });

  it("answers by default when onError itself throws", async () => {
    const { app, logged } = appWithMiddleware();
    app.onError(() => {
      throw new Error("onError broke");
    });
    app.get("/x", () => {
      throw new HttpError(400, "bad");
    });
    const response = await app.request("/x");
    expect(response.status).toBe(500);
    expect(response.headers.get("x-request-id")).toBe("r-1");
    expect((logged[0] as Error).message).toBe("onError broke");
  });

  it("catches an error a middleware throws after `next()` at its own level", async () => {
    const { app, seen } = appWithMiddleware();
    app.use(async (_c, next) => {
      await next();
      throw new HttpError(409, "conflict after the handler");
    });
    app.get("/late", (c) => c.text("fine"));
    const response = await app.request("/late");
    expect(response.status).toBe(409);
    expect(await response.text()).toBe("conflict after the handler");
    expect(seen).toEqual(["/late 409 HTTP_ERROR"]);
  });

  it("names the route (method and pattern) when a handler returns no response", async () => {
    const { app, seen, logged } = appWithMiddleware();
    app.get("/users/:id", () => {});
    const response = await app.request("/users/7");
    expect(response.status).toBe(500);
    expect(response.headers.get("x-request-id")).toBe("r-1");
    expect(seen).toEqual(["/users/7 500 NO_RESPONSE"]);
    expect((logged[0] as Error).message).toMatch(/^The handler of GET \/users\/:id returned no response/);
  });

  it("names the route without middleware too, and for the notFound handler", async () => {
    const logged: unknown[] = [];
    const app = new App().post("/items/:id/tags", () => {}).notFound(() => {});
    app.configure(1024, (error) => logged.push(error));
    expect((await app.request("/items/1/tags", { method: "POST" })).status).toBe(500);
    expect((await app.request("/nowhere")).status).toBe(500);
    expect((logged[0] as Error).message).toContain("POST /items/:id/tags");
    expect((logged[1] as Error).message).toContain("The handler of notFound");
  });

  it("answers 500 for a status outside 200–599, keeping the middleware's fields", async () => {
    const { app, logged } = appWithMiddleware();
    app.get("/odd", (c) => c.status(1000).text("odd"));
    const response = await app.request("/odd");
    expect(response.status).toBe(500);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect((logged[0] as HttpError).code).toBe("INVALID_STATUS");
  });

  it("refuses `next()` called twice in one middleware", async () => {
    const { app, seen } = appWithMiddleware();
    app.use(async (_c, next) => {
      await next();
      await next();
    });
    app.get("/twice", (c) => c.text("once"));
    const response = await app.request("/twice");
    expect(response.status).toBe(500);
    expect(seen).toEqual(["/twice 500 Error: next() called more than once"]);
  });
});
