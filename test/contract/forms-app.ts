/**
 * The app of the form-body cases: `c.req.formData()`, `c.req.parts()` and `c.req.json()` with
 * their limits. `/upload` is the reference app's upload route, as docs/forms.md shows it.
 */
import { upload } from "../../examples/routes/upload.ts";
import { App } from "../../core/app/app.ts";

/** A FormData entry as JSON: a field's string, or a file's name, type and content (latin1). */
export type FormEntry = [string, string | { file: string; type: string; content: string }];

/** A FormData as comparable JSON entries. */
export async function formEntries(form: FormData): Promise<FormEntry[]> {
  const out: FormEntry[] = [];
  for (const [name, value] of form) {
    if (typeof value === "string") out.push([name, value]);
    else {
      const bytes = new Uint8Array(await value.arrayBuffer());
      let content = "";
      for (let i = 0; i < bytes.length; i++) content += String.fromCharCode(bytes[i]!);
      out.push([name, { file: value.name, type: value.type, content }]);
    }
  }
  return out;
}

/** The app: routes under `/form`, `/upload`, `/json`, and `/ok` to show a connection still serves. */
export function createFormsApp(): App {
  const app = new App();
  app.get("/ok", (c) => c.text("ok"));
  app.post("/form", async (c) => c.json(await formEntries(await c.req.formData())));
  app.post("/form/limited", async (c) => {
    const form = await c.req.formData({
      maxParts: 3,
      maxFieldSize: 16,
      maxFileSize: 64,
      maxHeaderSize: 256,
      maxTotalSize: 1024,
    });
    return c.json(await formEntries(form));
  });

  // The reference app's upload handler itself: fields, and per file its name, size and SHA-256,
  // hashed as the bytes stream through; a malformed body answers 400 from parts().
  app.post("/upload", upload);

  // How the content of each part arrived: chunk count and the largest chunk.
  app.post("/upload/chunks", async (c) => {
    const seen: { name: string; chunks: number; largest: number; size: number }[] = [];
    for await (const part of c.req.parts()) {
      let chunks = 0;
      let largest = 0;
      let size = 0;
      const reader = part.stream.getReader();
      for (let r = await reader.read(); !r.done; r = await reader.read()) {
        chunks++;
        size += r.value.length;
        largest = Math.max(largest, r.value.length);
      }
      seen.push({ name: part.name, chunks, largest, size });
    }
    return c.json(seen);
  });

  app.post("/json", async (c) => c.json({ got: await c.req.json(64) }));
  return app;
}
