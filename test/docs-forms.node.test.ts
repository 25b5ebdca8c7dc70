/**
 * The examples of docs/forms.md run as written (with `wirecore` pointed at this checkout), on
 * Node, Bun and Deno, and print what the page says they print.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");
const page = readFileSync(join(root, "docs/forms.md"), "utf8");
const blocks = [...page.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const dir = mkdtempSync(join(tmpdir(), "wirecore-docs-forms-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RUNTIMES: [string, (file: string) => [string, string[]]][] = [
  ["node", (file) => [process.execPath, [file]]],
  ["bun", (file) => [join(root, "node_modules/.bin/bun"), [file]]],
  ["deno", (file) => [join(root, "node_modules/.bin/deno"), ["run", "-A", "--no-config", file]]],
];

/** Run example `index` on `runtime` and return its stdout. */
function run(index: number, runtime: (file: string) => [string, string[]]): string {
  const source = blocks[index]!.replaceAll('from "wirecore"', `from ${JSON.stringify(join(root, "mod.ts"))}`);
  const file = join(dir, `example-${index}.ts`);
  writeFileSync(file, source);
  const [command, args] = runtime(file);
  return execFileSync(command, args, { encoding: "utf8", cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
}

describe("docs/forms.md examples", () => {
  it("has the four examples this test knows", () => {
    expect(blocks.length).toBe(4);
  });

  for (const [name, runtime] of RUNTIMES) {
    describe(`on ${name}`, () => {
      it("formData() of urlencoded and multipart", () => {
        const out = run(0, runtime);
        expect(out).toMatch(/name: ['"]Ada['"],\s+tags: \[\s*['"]math['"],\s*['"]engines['"]\s*\],\s+avatar: null/);
        expect(out).toMatch(/avatar: \{\s*name: ['"]ada\.svg['"],\s*type: ['"]image\/svg\+xml['"],\s*size: 6,?\s*\}/);
      });

      it("the streaming upload route: fields, size and SHA-256; 400 when malformed", () => {
        const out = run(1, runtime);
        expect(out).toContain("30e14955ebf1352266dc2ff8067e68104607e750abb9d3b36582b8af909fcb58");
        expect(out).toContain("1048576");
        expect(out).toContain("holiday");
        expect(out).toContain("400 Multipart body ends before its close delimiter");
      });

      it("a limit answers 413 with its reason", () => {
        expect(run(2, runtime)).toContain("413 Field is larger than the limit of 2000 bytes");
      });

      it("the parser on its own, in chunks of 7 bytes", () => {
        const out = run(3, runtime);
        expect(out).toMatch(/^part a undefined text\/plain\n(data \d\n)+end\n$/);
        const sizes = [...out.matchAll(/data (\d)/g)].map((m) => Number(m[1]));
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(5);
      });
    });
  }
});
