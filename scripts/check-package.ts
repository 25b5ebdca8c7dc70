// The last step of `npm run check:package` (after build, publint, attw and deno publish --dry-run):
// packs the npm tarball, checks that it ships no test or bench code, installs it into a fresh
// project, and imports every entry point on the runtime it is for, serving one real request on each.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import process from "node:process";

type Runtime = "node" | "bun" | "deno";

/** An entry point of package.json "exports", and what a user must find there (name → typeof). */
interface Entry {
  specifier: string;
  exports: Record<string, string>;
  /** The runtime the entry is for; runtime-free entries are loaded on all three. */
  runtime?: Runtime;
}

/** One row per entry point: a new entry (e.g. "wirecore/core") is one more row. */
const ENTRIES: Entry[] = [
  { specifier: "wirecore", exports: { App: "function", Context: "function", HttpError: "function" } },
  { specifier: "wirecore/core", exports: { createServerCore: "function", ServerCore: "function", Server: "function" } },
  { specifier: "wirecore/node", exports: { serve: "function" }, runtime: "node" },
  { specifier: "wirecore/bun", exports: { serve: "function" }, runtime: "bun" },
  { specifier: "wirecore/deno", exports: { serve: "function" }, runtime: "deno" },
  // Loads without the optional peer `redis`: the store only calls the client it is given.
  { specifier: "wirecore/redis", exports: { RedisSessionStore: "function" } },
];

/** How each runtime runs a module file. */
const COMMANDS: Record<Runtime, string[]> = {
  node: [process.execPath],
  bun: ["bun", "run"],
  deno: ["deno", "run", "--cached-only", "--allow-net", "--allow-read", "--allow-env"],
};

/** Path words of test-only or bench-only code; a packed file whose path has one is a packaging bug. */
const FORBIDDEN_WORDS = ["test", "tests", "spec", "helper", "helpers", "fake", "peer", "mock", "bench", "fixtures"];

function fail(message: string): never {
  console.error(`check-package: ${message}`);
  process.exit(1);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The module a runtime runs: import each entry, check its exports, then serve one request. */
function smokeModule(runtime: Runtime): string {
  const entries = ENTRIES.filter((entry) => entry.runtime === undefined || entry.runtime === runtime);
  return `const entries = ${JSON.stringify(entries)};
for (const { specifier, exports } of entries) {
  const module = await import(specifier);
  for (const [name, type] of Object.entries(exports)) {
    if (typeof module[name] !== type) throw new Error(specifier + ": " + name + " is " + typeof module[name]);
  }
}
const { App } = await import("wirecore");
const { serve } = await import("wirecore/${runtime}");
const app = new App();
app.get("/", (c) => c.text("packed"));
const server = serve(app, { hostname: "127.0.0.1", port: 0 });
await server.ready;
const response = await fetch(server.url);
const body = await response.text();
await server.close();
if (response.status !== 200 || body !== "packed") throw new Error("GET / answered " + response.status + " " + body);
console.log(entries.map((e) => e.specifier + " (" + Object.keys(e.exports).join(", ") + ")").join(", ") +
  "; GET / → " + response.status + " " + body);
`;
}

const work = mkdtempSync(join(tmpdir(), "wirecore-pack-"));
try {
  // 1. Pack (dist/ is built by the build step before this script).
  const [packed] = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--pack-destination", work], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }),
  ) as { filename: string; files: { path: string }[] }[];
  if (packed === undefined) fail("npm pack listed no package");
  const paths = packed.files.map((file) => file.path);
  const stray = paths.filter((path) =>
    !/^(dist\/|package\.json$|README\.md$|LICENSE$)/.test(path) ||
    path.toLowerCase().split(/[/._-]/).some((word) => FORBIDDEN_WORDS.includes(word))
  );
  if (stray.length > 0) fail(`the tarball ships test, bench or stray files:\n  ${stray.join("\n  ")}`);

  // 2. Install it into a fresh project, from the local tarball only.
  const project = join(work, "project");
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "smoke", private: true, type: "module" }));
  execFileSync(
    "npm",
    ["install", "--offline", "--ignore-scripts", "--no-audit", "--no-fund", join(work, packed.filename)],
    { cwd: project, stdio: ["ignore", "ignore", "inherit"] },
  );
  const installed = join(project, "node_modules", "wirecore");
  for (const file of filesUnder(installed).filter((path) => /\.[cm]?[jt]s$/.test(path))) {
    if (/(from|import\s*\(?)\s*["']vitest/.test(readFileSync(file, "utf8"))) {
      fail(`${relative(installed, file)} imports vitest`);
    }
  }
  console.log(`check-package: ${packed.filename}: ${paths.length} files, no test or bench code`);

  // 3. Each runtime imports its entries from the installed package and serves one request.
  for (const runtime of ["node", "bun", "deno"] as const) {
    const file = join(project, `smoke-${runtime}.mjs`);
    writeFileSync(file, smokeModule(runtime));
    const [command, ...args] = COMMANDS[runtime];
    let output: string;
    try {
      output = execFileSync(command!, [...args, file], { cwd: project, encoding: "utf8", timeout: 30_000 });
    } catch (error) {
      fail(`${runtime} could not use the packed package: ${(error as { stderr?: string }).stderr ?? error}`);
    }
    console.log(`check-package: ${runtime}: ${output.trim()}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
