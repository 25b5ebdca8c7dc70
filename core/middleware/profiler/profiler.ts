/**
 * `profiler()`: a handler that answers with a CPU profile or a heap snapshot of the running
 * process, for an app to mount at a path of its choosing behind a bearer token. Nothing runs
 * until an authorised request comes; one profile is taken at a time per process.
 *
 * The runtime's profiler comes from `c.services.profiler` (set by the adapters' `serve()`:
 * node:inspector on Node and Deno, Bun's own on Bun) or the `provider` option.
 *
 * @example
 * ```ts
 * import { App, profiler } from "wirecore";
 * const app = new App();
 * app.get("/debug/profile", profiler({ token: process.env.PROFILER_TOKEN! }));
 * // curl -H "Authorization: Bearer $PROFILER_TOKEN" "http://127.0.0.1:3000/debug/profile?seconds=5" -o cpu.cpuprofile
 * // curl -H "Authorization: Bearer $PROFILER_TOKEN" "http://127.0.0.1:3000/debug/profile?type=heap" -o heap.heapsnapshot
 * ```
 * @module
 */
import type { Context, Reply } from "../../app/context.ts";
import type { Handler } from "../../app/handler.ts";
import type { ProfilerProvider } from "../../providers/profiler-provider.ts";
import { bearerToken, SecretToken } from "./token.ts";

/** Options of {@link profiler}. */
export interface ProfilerOptions {
  /** The bearer token a request must carry (`Authorization: Bearer <token>`); 16 characters or more. */
  token: string;
  /** The runtime's profiler; default `c.services.profiler`, which the adapters' `serve()` sets. */
  provider?: ProfilerProvider | undefined;
  /** The longest CPU profile a request may ask for, in seconds (1–3600). Default 60. */
  maxSeconds?: number | undefined;
  /** The length of a CPU profile when the request names none (`?seconds=`). Default 10, at most `maxSeconds`. */
  defaultSeconds?: number | undefined;
}

/** The shortest token accepted: a guessable one would open the process's memory to anyone. */
const MIN_TOKEN_LENGTH = 16;

/** Set while a profile or snapshot is being taken: the engine has one profiler per process. */
let busy = false;

function checkSeconds(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new RangeError(`profiler(): ${name} must be a whole number of seconds from 1 to ${max}, not ${value}`);
  }
  return value;
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, "-");
}

/** `seconds` from the query: digits only, within 1…max; `null` when malformed or out of range. */
function parseSeconds(raw: string | null, fallback: number, max: number): number | null {
  if (raw === null) return fallback;
  if (!/^[0-9]{1,4}$/.test(raw)) return null;
  const seconds = Number(raw);
  return seconds >= 1 && seconds <= max ? seconds : null;
}

async function cpu(c: Context, provider: ProfilerProvider, seconds: number): Promise<Reply> {
  const signal = c.req.signal;
  try {
    const profile = await provider.cpuProfile!(seconds * 1000, signal);
    c.header("content-disposition", `attachment; filename="cpu-${stamp()}.cpuprofile"`);
    return c.json(profile);
  } catch (error) {
    // The client left: the profile was stopped early and nobody is there to read an answer.
    if (signal.aborted) return c.text("The client went away before the profile was done", 503);
    throw error;
  }
}

/** `source`, calling `done` once when it ends, fails or is cancelled. */
function onSettled(source: ReadableStream<Uint8Array>, done: () => void): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: ended, value } = await reader.read();
        if (ended) {
          done();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        done();
        controller.error(error);
      }
    },
    cancel(reason) {
      done();
      return reader.cancel(reason);
    },
  });
}

function heap(c: Context, provider: ProfilerProvider, release: () => void): Reply {
  c.header("content-type", "application/json");
  c.header("content-disposition", `attachment; filename="heap-${stamp()}.heapsnapshot"`);
  return c.body(onSettled(provider.heapSnapshot!(), release));
}

/**
 * A handler that answers an authorised request with a CPU profile (`.cpuprofile` JSON, the
 * default; `?seconds=N` long) or a heap snapshot (`?type=heap`, `.heapsnapshot` JSON, streamed).
 * No `Authorization: Bearer` token answers 401, a wrong one 403, a bad `seconds` or `type` 400,
 * a request while another profile runs 409, and a runtime that cannot do it 501.
 */
export function profiler(options: ProfilerOptions): Handler {
  const { token, provider: given } = options;
  if (typeof token !== "string" || token.length < MIN_TOKEN_LENGTH) {
    throw new TypeError(`profiler(): token must be a string of ${MIN_TOKEN_LENGTH} characters or more`);
  }
  const maxSeconds = checkSeconds("maxSeconds", options.maxSeconds ?? 60, 3600);
  const defaultSeconds = checkSeconds("defaultSeconds", options.defaultSeconds ?? Math.min(10, maxSeconds), maxSeconds);
  const secret = new SecretToken(token);

  return async (c) => {
    c.header("cache-control", "no-store");
    const presented = bearerToken(c.req.header("authorization"));
    if (presented === null) {
      c.header("www-authenticate", 'Bearer realm="profiler"');
      return c.text("A bearer token is required", 401);
    }
    if (!(await secret.matches(presented))) return c.text("The token is not valid", 403);

    const query = c.req.query;
    const type = query.get("type") ?? "cpu";
    if (type !== "cpu" && type !== "heap") return c.text(`Unknown profile type "${type}": use cpu or heap`, 400);
    const seconds = parseSeconds(query.get("seconds"), defaultSeconds, maxSeconds);
    if (seconds === null) return c.text(`seconds must be a whole number from 1 to ${maxSeconds}`, 400);

    const provider = given ?? c.services.profiler;
    if (provider === undefined) {
      return c.text("No profiler: serve the app with wirecore's serve(), or pass profiler({ provider })", 501);
    }
    if ((type === "cpu" ? provider.cpuProfile : provider.heapSnapshot) === undefined) {
      return c.text(
        `${type === "cpu" ? "CPU profiles" : "Heap snapshots"} are not available on ${provider.runtime}`,
        501,
      );
    }
    if (busy) {
      c.header("retry-after", String(maxSeconds));
      return c.text("A profile is already being taken", 409);
    }
    busy = true;
    if (type === "heap") {
      // Busy until the snapshot has been sent, has failed, or the client has left.
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        busy = false;
        c.req.signal.removeEventListener("abort", release);
      };
      c.req.signal.addEventListener("abort", release);
      return heap(c, provider, release);
    }
    try {
      return await cpu(c, provider, seconds);
    } finally {
      busy = false;
    }
  };
}
