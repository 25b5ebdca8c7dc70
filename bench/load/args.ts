/** Small parsing helpers shared by the load generator CLI and the bench. */
import process from "node:process";

/** "10s", "500ms", "1m", "2h", or a bare number of seconds → ms; null when malformed. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (m === null) return null;
  const n = Number(m[1]);
  const unit = m[2] ?? "s";
  return Math.round(n * (unit === "ms" ? 1 : unit === "s" ? 1000 : unit === "m" ? 60_000 : 3_600_000));
}

/** "4096", "4k", "1m" (binary: 1k = 1024) → bytes; null when malformed. */
export function parseSize(text: string): number | null {
  const m = /^(\d+)([kKmM])?$/.exec(text.trim());
  if (m === null) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? "").toLowerCase();
  return n * (unit === "k" ? 1024 : unit === "m" ? 1024 * 1024 : 1);
}

/** "node 24.21.0", "bun 1.4.5" or "deno 2.9.6": which runtime runs this code. */
export function runtimeName(): string {
  const g = globalThis as { Bun?: { version: string }; Deno?: { version: { deno: string } } };
  if (g.Bun !== undefined) return `bun ${g.Bun.version}`;
  if (g.Deno !== undefined) return `deno ${g.Deno.version.deno}`;
  return `node ${process.versions.node}`;
}
