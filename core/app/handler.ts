import type { Context, Reply } from "./context.ts";

/** What a handler may return: a reply made by `c.text()`/`c.json()`/`c.body()`, or a web `Response`. */
export type HandlerResult = Reply | Response | void;
/** A route handler of the native API. */
export type Handler = (c: Context) => HandlerResult | Promise<HandlerResult>;
/** Middleware: runs around the handlers after it, in onion order (`await next()`). */
export type Middleware = (c: Context, next: () => Promise<void>) => HandlerResult | Promise<HandlerResult>;
/** Turns an error thrown by a handler or middleware into a response (`app.onError`). */
export type ErrorHandler = (error: unknown, c: Context) => HandlerResult | Promise<HandlerResult>;
