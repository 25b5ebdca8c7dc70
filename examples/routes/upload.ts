/**
 * `POST /upload`: a multipart form read part by part (`c.req.parts()`), each file hashed while it
 * streams through, so memory stays flat whatever its size. `node:crypto`'s incremental hash is
 * there on Node, Bun and Deno (Web Crypto has no incremental digest).
 */
import { createHash } from "node:crypto";
import type { Context, Reply } from "../../mod.ts";

/** What the route answers for each file of the form. */
export interface UploadedFile {
  field: string;
  name: string;
  type: string;
  size: number;
  /** SHA-256 of the file's bytes, lowercase hex. */
  sha256: string;
}

/** Answer with the form's fields and, per file, its name, size and SHA-256. A malformed body is a 400 from parts(). */
export async function upload(c: Context): Promise<Reply> {
  const fields: Record<string, string> = {};
  const files: UploadedFile[] = [];
  for await (const part of c.req.parts()) {
    if (part.filename === undefined) {
      fields[part.name] = await part.text();
      continue;
    }
    const hash = createHash("sha256");
    let size = 0;
    const reader = part.stream.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      hash.update(read.value);
      size += read.value.length;
    }
    files.push({ field: part.name, name: part.filename, type: part.type, size, sha256: hash.digest("hex") });
  }
  return c.json({ fields, files });
}
