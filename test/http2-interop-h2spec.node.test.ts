/**
 * HTTP/2 interop: h2spec, the conformance suite (146/146), against the six servers of
 * `test/http2-interop-harness.ts`: `npx vitest run test/http2-interop-h2spec.node.test.ts`
 *
 * h2spec is not packaged: it is looked for at `../shared/tools/h2spec` or `$H2SPEC`, and when
 * neither exists its test says so and is skipped.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { beforeAll, it } from "vitest";
import { type Child, describeEachServer, dir, ROOT, run } from "./http2-interop-harness.ts";

const H2SPEC = [process.env.H2SPEC, resolve(ROOT, "../shared/tools/h2spec")].find((p) =>
  p !== undefined && p !== "" && existsSync(p)
);

/** h2spec cases allowed to fail, each with its reason: none. */
const KNOWN_H2SPEC_FAILURES: Record<string, string> = {};

describeEachServer((suite) => {
  const { runtime, mode, tls } = suite;
  let server: Child;
  beforeAll(() => {
    server = suite.server;
  });

  it("passes h2spec", async (ctx) => {
    if (H2SPEC === undefined) {
      console.log(
        "h2spec skipped: neither ../shared/tools/h2spec nor $H2SPEC exists (see ../shared/tools/README.md)",
      );
      ctx.skip();
      return;
    }
    const report = join(dir, `h2spec-${runtime}-${mode}.xml`);
    const args = [
      "-h",
      "127.0.0.1",
      "-p",
      String(server.port),
      "-o",
      "2",
      "-j",
      report,
      ...(tls ? ["-t", "-k"] : []),
    ];
    const { stdout } = await run(H2SPEC, args, 110_000);
    const out = stdout.toString();
    const summary = /(\d+) tests, (\d+) passed, (\d+) skipped, (\d+) failed/.exec(out);
    assert.ok(summary !== null, `no h2spec summary in:\n${out.slice(-2000)}`);
    const xml = await readFile(report, "utf8");
    const failed: string[] = [];
    for (const m of xml.matchAll(/<testcase package="([^"]+)" classname="([^"]+)"[^>]*>\s*<(?:failure|error)/g)) {
      failed.push(`${m[1]}: ${m[2]}`);
    }
    for (const id of failed) {
      if (id in KNOWN_H2SPEC_FAILURES) console.log(`h2spec ${id}: known failure, ${KNOWN_H2SPEC_FAILURES[id]}`);
    }
    const known = failed.filter((id) => id in KNOWN_H2SPEC_FAILURES).length;
    assert.equal(
      Number(summary[4]) - known,
      0,
      `h2spec ${runtime}/${mode}: ${summary[0]}\n${out.slice(out.indexOf("Failures:"))}`,
    );
    assert.equal(summary[1], "146", `h2spec ran ${summary[1]} cases, 146 expected`);
    assert.equal(Number(summary[2]) + known, 146, `h2spec ${runtime}/${mode}: ${summary[0]}`);
    console.log(`h2spec ${runtime}/${mode}: ${summary[0]}`);
  });
});
