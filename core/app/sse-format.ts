/**
 * The text/event-stream format (WHATWG HTML §9.2.5 "Parsing an event stream", §9.2.6
 * "Interpreting an event stream"): what a server writes so that a browser's `EventSource`
 * reads back exactly the event it was given.
 */

/** One event. Every field is optional; an event without `data` sets `id`/`retry` but dispatches nothing. */
export interface SseEvent {
  /** The event type (`event:`); the browser uses `message` when absent. No CR or LF. */
  event?: string;
  /**
   * The payload: a string is sent as it is, split into one `data:` line per line (CR, LF and
   * CRLF all end a line); anything else is sent as its JSON.
   */
  data?: unknown;
  /** The event id (`id:`), echoed by a reconnecting browser in `Last-Event-ID`. No CR, LF or NUL. */
  id?: string | number;
  /** The reconnection time in milliseconds (`retry:`): a non-negative integer. */
  retry?: number;
}

/** CR, LF and CRLF each end a line of the stream (§9.2.5 `end-of-line`). */
const LINE_BREAK = /\r\n|\r|\n/;
const CR_OR_LF = /[\r\n]/;

/**
 * Serialize one event, ending with the blank line that dispatches it. Throws TypeError for a
 * field the format cannot carry, rather than let it split into fields the sender never meant
 * (an `event` or `id` with a line break would inject fields of its own).
 */
export function formatEvent(message: SseEvent): string {
  let out = "";
  const { event, data, id, retry } = message;
  if (event !== undefined) {
    if (typeof event !== "string" || CR_OR_LF.test(event)) {
      throw new TypeError("SSE event type must be a string without CR or LF");
    }
    out += "event: " + event + "\n";
  }
  if (id !== undefined) {
    const value = String(id);
    // §9.2.6: an id field whose value contains NUL is ignored by the browser, so it is refused here.
    if ((typeof id !== "string" && typeof id !== "number") || CR_OR_LF.test(value) || value.includes("\0")) {
      throw new TypeError("SSE event id must be a string or number without CR, LF or NUL");
    }
    out += "id: " + value + "\n";
  }
  if (retry !== undefined) {
    // §9.2.6: the browser only takes a retry value made of ASCII digits.
    if (!Number.isSafeInteger(retry) || retry < 0) {
      throw new TypeError("SSE retry must be a non-negative integer (milliseconds)");
    }
    out += "retry: " + retry + "\n";
  }
  if (data !== undefined) out += prefixLines("data: ", dataText(data));
  return out + "\n";
}

/** Serialize a comment: each line starts with `:`, which the browser ignores (§9.2.6). */
export function formatComment(text: string): string {
  if (text === "") return ":\n\n";
  return prefixLines(": ", text) + "\n";
}

function dataText(data: unknown): string {
  if (typeof data === "string") return data;
  const json = JSON.stringify(data);
  if (json === undefined) throw new TypeError("SSE data must be a string or a JSON-serializable value");
  return json;
}

/**
 * One field line per line of `text`. A space always follows the colon: the browser strips
 * exactly one leading space from a value (§9.2.6), so a line that starts with a space keeps it.
 */
function prefixLines(prefix: string, text: string): string {
  if (!CR_OR_LF.test(text)) return prefix + text + "\n";
  let out = "";
  for (const line of text.split(LINE_BREAK)) out += prefix + line + "\n";
  return out;
}

/**
 * The `Last-Event-ID` request field as the browser meant it. The browser sends the id UTF-8
 * encoded (§9.2.4); header values reach the app one byte per character, so bytes above 0x7F
 * are decoded again as UTF-8 (and kept as they are if they are not valid UTF-8).
 */
export function lastEventIdOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let ascii = true;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code > 0xff) return value;
    if (code > 0x7f) ascii = false;
  }
  if (ascii) return value;
  const bytes = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) bytes[i] = value.charCodeAt(i);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return value;
  }
}
