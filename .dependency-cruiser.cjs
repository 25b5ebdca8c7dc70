// The layering of core (DESIGN.md §1, ARCHITECTURE.md), checked by `npm run check:layers`.
// Layers from the bottom up; a file may import its own layer and the layers below it, never above.
const layers = [
  ["bytes", ["core/bytes"]],
  ["http", ["core/http", "core/providers"]],
  ["codecs", ["core/http1", "core/hpack", "core/http2", "core/ws", "core/router", "core/cookie", "core/multipart"]],
  ["transport", ["core/transport"]],
  ["exchange", ["core/exchange"]],
  ["session", ["core/session"]],
  ["server", ["core/server"]],
  ["fetch", ["core/fetch"]],
  ["app", ["core/app"]],
  ["middleware", ["core/middleware"]],
  ["core entry", ["core/mod\\.ts$"]],
];
const codecs = ["core/http1", "core/hpack", "core/http2", "core/ws", "core/router", "core/cookie", "core/multipart"];
const sessions = ["core/session/http1", "core/session/http2", "core/session/ws"];
const anyOf = (dirs) => `^(${dirs.join("|")})(/|$)`;
const notTest = "\\.test\\.ts$";

const upward = layers.slice(0, -1).map(([name, dirs], i) => ({
  name: `layer-${name.replace(" ", "-")}`,
  comment: `${name} may import only the layers below it`,
  severity: "error",
  from: { path: anyOf(dirs), pathNot: notTest },
  to: { path: anyOf(layers.slice(i + 1).flatMap(([, d]) => d)) },
}));

// Codecs know one wire format each: they share bytes/ and http/, nothing else (HPACK is part of HTTP/2).
const codecRules = codecs.map((dir) => ({
  name: `codec-${dir.slice(5)}`,
  comment: `${dir} imports no other codec`,
  severity: "error",
  from: { path: anyOf([dir]), pathNot: notTest },
  to: { path: anyOf(codecs.filter((d) => d !== dir && !(dir === "core/http2" && d === "core/hpack"))) },
}));

// Each protocol session stands alone; what they share lives in core/session/ itself.
const sessionRules = sessions.map((dir) => ({
  name: `session-${dir.slice(13)}`,
  comment: `${dir} imports no other protocol's session`,
  severity: "error",
  from: { path: anyOf([dir]), pathNot: notTest },
  to: { path: anyOf(sessions.filter((d) => d !== dir)) },
}));

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "no import circle anywhere",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "core-no-runtime-api",
      comment: "core is pure TypeScript: no node:*, no runtime packages (Deno/Bun globals are checked by deno lint)",
      severity: "error",
      from: { path: "^core/", pathNot: notTest },
      to: { dependencyTypes: ["core", "npm", "npm-dev", "npm-peer", "npm-optional", "npm-no-pkg", "npm-unknown"] },
    },
    {
      name: "core-no-adapter",
      comment: "core never imports an adapter",
      severity: "error",
      from: { path: "^core/" },
      to: { path: "^adapters/" },
    },
    {
      name: "core-no-integration",
      comment: "core never imports an integration (integrations/ wrap optional packages such as redis)",
      severity: "error",
      from: { path: "^(core/|mod\\.ts$)" },
      to: { path: "^integrations/" },
    },
    {
      name: "integrations-use-app-entry",
      comment: "integrations import only mod.ts (the wirecore entry) from the package",
      severity: "error",
      from: { path: "^integrations/", pathNot: notTest },
      to: { path: "^(core|adapters)/" },
    },
    {
      name: "adapters-use-core-entry",
      comment: "adapters import only core/mod.ts (wirecore/core) from core",
      severity: "error",
      from: { path: "^adapters/" },
      to: { path: "^core/", pathNot: "^core/mod\\.ts$" },
    },
    {
      name: "published-no-test-helper",
      comment: "no published file imports a test helper, a test runner or bench code",
      severity: "error",
      from: { path: "^(core|adapters|integrations)/|^mod\\.ts$", pathNot: notTest },
      to: { path: "^(test|bench|examples)/|(^|/)node_modules/(vitest|@vitest)/" },
    },
    {
      name: "core-below-adapters-and-tools",
      comment: "nothing in core imports examples, bench or test code",
      severity: "error",
      from: { path: "^core/", pathNot: notTest },
      to: { path: "^(examples|bench|test)/" },
    },
    ...upward,
    ...codecRules,
    ...sessionRules,
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|dist|coverage)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
