import { describe, expect, it } from "vitest";
import { Router } from "./router.ts";

/** [method, pattern] registered with the value `${method} ${pattern}`. */
type RouteDef = readonly [method: string, pattern: string];
/** [method, path, expected value or null (no match), expected params ({} when omitted)]. */
type Lookup = readonly [method: string, path: string, value: string | null, params?: Record<string, string>];
/** [path, expected allowed() result]. */
type Allow = readonly [path: string, methods: string[]];

interface Case {
  name: string;
  routes: RouteDef[];
  find: Lookup[];
  allowed?: Allow[];
}

const cases: Case[] = [
  {
    name: "static",
    routes: [["GET", "/"], ["GET", "/hello"], ["POST", "/hello"], ["PURGE", "/hello"], ["GET", "/users/all"]],
    find: [
      ["GET", "/", "GET /"],
      ["GET", "/hello", "GET /hello"],
      ["POST", "/hello", "POST /hello"],
      ["PURGE", "/hello", "PURGE /hello"],
      ["PUT", "/hello", null],
      ["GET", "/users/all", "GET /users/all"],
      ["GET", "/users", null],
      ["GET", "/users/all/more", null],
      ["GET", "/HELLO", null], // case-sensitive
      ["get", "/hello", null], // methods are case-sensitive (RFC 9110 §9.1)
      ["GET", "", null],
      ["GET", "*", null], // asterisk-form target is not a path
    ],
  },
  {
    name: "named params",
    routes: [["GET", "/users/:id"], ["GET", "/entry/:constructor"], ["GET", "/a/:x/b/:y"]],
    find: [
      ["GET", "/users/42", "GET /users/:id", { id: "42" }],
      ["GET", "/users/", null], // a param matches a non-empty segment
      ["GET", "/users", null],
      ["GET", "/users/42/x", null],
      ["GET", "/entry/123", "GET /entry/:constructor", { constructor: "123" }],
      ["GET", "/a/1/b/2", "GET /a/:x/b/:y", { x: "1", y: "2" }],
      ["GET", "/a/1/c/2", null],
      ["GET", "/a/1/b/", null],
    ],
  },
  {
    name: "params at the root and consecutive params",
    routes: [["GET", "/:type/:action"], ["GET", "/:only"]],
    find: [
      ["GET", "/posts/123", "GET /:type/:action", { type: "posts", action: "123" }],
      ["GET", "/posts", "GET /:only", { only: "posts" }],
      ["GET", "/", null],
    ],
  },
  {
    name: "optional last param",
    routes: [["GET", "/posts/:id/:slug?"], ["GET", "/:lang?"], ["POST", "/posts/:id"]],
    find: [
      ["GET", "/posts/7/hello", "GET /posts/:id/:slug?", { id: "7", slug: "hello" }],
      ["GET", "/posts/7", "GET /posts/:id/:slug?", { id: "7" }],
      ["POST", "/posts/7", "POST /posts/:id", { id: "7" }],
      ["GET", "/posts/7/", null], // an optional param is still one non-empty segment
      ["GET", "/en", "GET /:lang?", { lang: "en" }],
      ["GET", "/", "GET /:lang?"],
    ],
    allowed: [["/posts/7", ["GET", "HEAD", "POST"]], ["/", ["GET", "HEAD"]]],
  },
  {
    name: "wildcard",
    routes: [["GET", "/files/*"], ["GET", "/a/:x/*"]],
    find: [
      ["GET", "/files/", "GET /files/*", { "*": "" }],
      ["GET", "/files/a", "GET /files/*", { "*": "a" }],
      ["GET", "/files/a/b/c.txt", "GET /files/*", { "*": "a/b/c.txt" }],
      ["GET", "/files/a/", "GET /files/*", { "*": "a/" }],
      ["GET", "/files", null], // trailing slash is significant
      ["GET", "/filesx", null],
      ["GET", "/a/1/", "GET /a/:x/*", { x: "1", "*": "" }],
      ["GET", "/a/1/2/3", "GET /a/:x/*", { x: "1", "*": "2/3" }],
    ],
  },
  {
    name: "root wildcard",
    routes: [["GET", "/*"], ["GET", "/x"]],
    find: [
      ["GET", "/", "GET /*", { "*": "" }],
      ["GET", "/x", "GET /x"],
      ["GET", "/x/", "GET /*", { "*": "x/" }],
      ["GET", "/deep/er/path", "GET /*", { "*": "deep/er/path" }],
    ],
  },
  {
    name: "priority: static beats param beats wildcard",
    routes: [["GET", "/users/new"], ["GET", "/users/:id"], ["GET", "/users/*"], ["GET", "/users/:id/edit"]],
    find: [
      ["GET", "/users/new", "GET /users/new"],
      ["GET", "/users/7", "GET /users/:id", { id: "7" }],
      ["GET", "/users/7/x", "GET /users/*", { "*": "7/x" }],
      ["GET", "/users/", "GET /users/*", { "*": "" }],
      // backtracking: static "new" has no child "edit", so the param branch is tried
      ["GET", "/users/new/edit", "GET /users/:id/edit", { id: "new" }],
      ["GET", "/users/7/edit", "GET /users/:id/edit", { id: "7" }],
    ],
  },
  {
    name: "backtracking through several levels",
    routes: [["GET", "/a/b/c"], ["GET", "/a/b/:c/d"], ["GET", "/a/:b/c/e"], ["GET", "/:a/b/c/f"], ["GET", "/a/*"]],
    find: [
      ["GET", "/a/b/c", "GET /a/b/c"],
      ["GET", "/a/b/c/d", "GET /a/b/:c/d", { c: "c" }],
      ["GET", "/a/b/c/e", "GET /a/:b/c/e", { b: "b" }],
      // the first differing segment decides: static "a" (and its wildcard) beats the root param
      ["GET", "/a/b/c/f", "GET /a/*", { "*": "b/c/f" }],
      ["GET", "/a/b/c/g", "GET /a/*", { "*": "b/c/g" }],
      ["GET", "/z/b/c/f", "GET /:a/b/c/f", { a: "z" }],
      ["GET", "/z/b/c/g", null],
    ],
  },
  {
    name: "backtracking on method: the most specific pattern serving the method wins",
    routes: [["POST", "/users/new"], ["GET", "/users/:id"], ["DELETE", "/users/:id"], ["PUT", "/users/*"]],
    find: [
      ["POST", "/users/new", "POST /users/new"],
      ["GET", "/users/new", "GET /users/:id", { id: "new" }],
      ["PUT", "/users/new", "PUT /users/*", { "*": "new" }],
      ["PATCH", "/users/new", null],
    ],
    allowed: [
      ["/users/new", ["DELETE", "GET", "HEAD", "POST", "PUT"]],
      ["/users/1", ["DELETE", "GET", "HEAD", "PUT"]],
      ["/users/1/2", ["PUT"]],
      ["/users", []],
    ],
  },
  {
    name: "HEAD falls back to GET",
    routes: [["GET", "/a"], ["GET", "/b"], ["HEAD", "/b"], ["GET", "/p/:id"], ["GET", "/w/*"], ["*", "/c"], [
      "GET",
      "/c",
    ]],
    find: [
      ["HEAD", "/a", "GET /a"],
      ["HEAD", "/b", "HEAD /b"],
      ["GET", "/b", "GET /b"],
      ["HEAD", "/p/1", "GET /p/:id", { id: "1" }],
      ["HEAD", "/w/x", "GET /w/*", { "*": "x" }],
      ["HEAD", "/c", "GET /c"], // HEAD→GET before "*" at the same pattern
      ["POST", "/a", null],
    ],
    allowed: [
      ["/a", ["GET", "HEAD"]],
      ["/b", ["GET", "HEAD"]],
      ["/p/1", ["GET", "HEAD"]],
    ],
  },
  {
    name: '"*" method routes',
    routes: [["*", "/any"], ["GET", "/any"], ["*", "/p/:id"], ["POST", "/p/new"], ["*", "/*"]],
    find: [
      ["GET", "/any", "GET /any"], // exact method beats "*"
      ["DELETE", "/any", "* /any"],
      ["BREW", "/any", "* /any"],
      ["GET", "/p/1", "* /p/:id", { id: "1" }],
      ["POST", "/p/new", "POST /p/new"],
      ["GET", "/p/new", "* /p/:id", { id: "new" }],
      ["GET", "/nope", "* /*", { "*": "nope" }],
    ],
    allowed: [
      ["/any", ["*"]],
      ["/p/new", ["*"]],
      ["/nope", ["*"]],
    ],
  },
  {
    name: "404 versus 405",
    routes: [["GET", "/r"], ["POST", "/r"], ["OPTIONS", "/r"], ["PUT", "/items/:id"]],
    find: [
      ["DELETE", "/r", null],
      ["PATCH", "/items/1", null],
      ["GET", "/missing", null],
    ],
    allowed: [
      ["/r", ["GET", "HEAD", "OPTIONS", "POST"]],
      ["/items/1", ["PUT"]],
      ["/items/", []],
      ["/missing", []],
      ["*", []],
    ],
  },
  {
    name: "trailing slash is significant",
    routes: [["GET", "/a"], ["GET", "/b/"], ["GET", "/p/:id"], ["GET", "/q/:id/"]],
    find: [
      ["GET", "/a", "GET /a"],
      ["GET", "/a/", null],
      ["GET", "/b/", "GET /b/"],
      ["GET", "/b", null],
      ["GET", "/p/1", "GET /p/:id", { id: "1" }],
      ["GET", "/p/1/", null],
      ["GET", "/q/1/", "GET /q/:id/", { id: "1" }],
      ["GET", "/q/1", null],
    ],
    allowed: [
      ["/a/", []],
      ["/b", []],
    ],
  },
  {
    name: "percent-decoding of values, raw comparison of static segments",
    routes: [["GET", "/u/:name"], ["GET", "/f/*"], ["GET", "/caf%C3%A9"]],
    find: [
      ["GET", "/u/j%C3%B6rg", "GET /u/:name", { name: "jörg" }],
      ["GET", "/u/a%20b", "GET /u/:name", { name: "a b" }],
      ["GET", "/u/a%2Fb", "GET /u/:name", { name: "a/b" }], // one segment, decoded after splitting
      ["GET", "/u/a+b", "GET /u/:name", { name: "a+b" }], // "+" is not a space in paths
      ["GET", "/u/%zz", "GET /u/:name", { name: "%zz" }], // malformed escape: raw value
      ["GET", "/u/%E0%A4%A", "GET /u/:name", { name: "%E0%A4%A" }], // truncated UTF-8: raw value
      ["GET", "/u/%C3", "GET /u/:name", { name: "%C3" }],
      ["GET", "/f/a%20b/c", "GET /f/*", { "*": "a b/c" }],
      ["GET", "/caf%C3%A9", "GET /caf%C3%A9"],
      ["GET", "/café", null], // raw paths only; a parser never hands over a non-ASCII path
    ],
  },
  {
    name: "one static child compares whole segments",
    routes: [["GET", "/x/ab/:id"], ["GET", "/y/ab/:id"], ["GET", "/y/cd/:id"]],
    find: [
      ["GET", "/x/ab/1", "GET /x/ab/:id", { id: "1" }],
      ["GET", "/x/abc/1", null],
      ["GET", "/x/a/1", null],
      ["GET", "/x//1", null],
      ["GET", "/y/ab/1", "GET /y/ab/:id", { id: "1" }],
      ["GET", "/y/cd/2", "GET /y/cd/:id", { id: "2" }],
      ["GET", "/y/abc/1", null],
    ],
  },
  {
    name: "param names differ on one shape",
    routes: [["GET", "/v/:id"], ["POST", "/v/:key"]],
    find: [
      ["GET", "/v/1", "GET /v/:id", { id: "1" }],
      ["POST", "/v/1", "POST /v/:key", { key: "1" }],
    ],
  },
  {
    name: "colons and empty segments inside static segments",
    routes: [["GET", "/v1/things:batchGet"], ["GET", "/a//b"], ["GET", "/x/:id/y:z"]],
    find: [
      ["GET", "/v1/things:batchGet", "GET /v1/things:batchGet"],
      ["GET", "/a//b", "GET /a//b"],
      ["GET", "/a/b", null],
      ["GET", "/x/1/y:z", "GET /x/:id/y:z", { id: "1" }],
    ],
  },
];

function build(routes: readonly RouteDef[]): Router<string> {
  const router = new Router<string>();
  for (const [method, pattern] of routes) router.add(method, pattern, `${method} ${pattern}`);
  return router;
}

describe("Router", () => {
  for (const c of cases) {
    describe(c.name, () => {
      const router = build(c.routes);
      for (const [method, path, value, params] of c.find) {
        it(`find ${method} ${JSON.stringify(path)} → ${value ?? "null"}`, () => {
          const match = router.find(method, path);
          if (value === null) {
            expect(match).toBeNull();
          } else {
            expect(match).not.toBeNull();
            expect(match!.value).toBe(value);
            expect({ ...match!.params }).toEqual(params ?? {});
          }
        });
      }
      for (const [path, methods] of c.allowed ?? []) {
        it(`allowed ${JSON.stringify(path)} → [${methods.join(", ")}]`, () => {
          expect(router.allowed(path)).toEqual(methods);
        });
      }
    });
  }

  it("shares one frozen empty params object between static matches", () => {
    const router = build([["GET", "/a"], ["GET", "/b"], ["GET", "/c/*"]]);
    const a = router.find("GET", "/a")!;
    const b = router.find("GET", "/b")!;
    expect(a.params).toBe(b.params);
    expect(Object.isFrozen(a.params)).toBe(true);
    expect(Object.keys(a.params)).toEqual([]);
    expect(router.find("GET", "/a")).toBe(a); // the prebuilt answer, no allocation
    expect(router.find("GET", "/c/x")!.params).not.toBe(a.params);
  });

  it("returns fresh params objects for parametric matches", () => {
    const router = build([["GET", "/p/:id"]]);
    const one = router.find("GET", "/p/1")!;
    const two = router.find("GET", "/p/2")!;
    expect(one.params).toEqual({ id: "1" });
    expect(two.params).toEqual({ id: "2" });
  });

  describe("registration errors", () => {
    const duplicates: [RouteDef, RouteDef][] = [
      [["GET", "/a"], ["GET", "/a"]],
      [["GET", "/u/:id"], ["GET", "/u/:name"]], // same shape, names aside
      [["*", "/f/*"], ["*", "/f/*"]],
      [["POST", "/:a/:b"], ["POST", "/:x/:y"]],
    ];
    for (const [first, second] of duplicates) {
      it(`rejects ${second.join(" ")} after ${first.join(" ")}`, () => {
        const router = build([first]);
        expect(() => router.add(second[0], second[1], "x")).toThrow(/Duplicate route/);
      });
    }

    it("accepts the same pattern under different methods, and different shapes", () => {
      expect(() => build([["GET", "/a"], ["POST", "/a"], ["*", "/a"], ["GET", "/a/"], ["GET", "/:a"], ["GET", "/*"]]))
        .not.toThrow();
    });

    const invalid: [pattern: string, message: RegExp][] = [
      ["", /must start with "\/"/],
      ["users", /must start with "\/"/],
      ["*", /must start with "\/"/],
      ["/a/*/b", /only allowed as the last segment/],
      ["/*/", /only allowed as the last segment/],
      ["/assets*", /must be a whole segment/],
      ["/a/:", /empty parameter name/],
      ["/a/:/b", /empty parameter name/],
      ["/a/:id-x", /parameter name "id-x"/],
      ["/a/:id?/b", /parameter name "id\?"/],
      ["/a/:?", /empty parameter name/],
      ["/a/:__proto__", /parameter name "__proto__"/],
      ["/a/:id/:id", /parameter "id" repeats/],
      ["/a b", /not allowed in a path/],
      ["/a?b=1", /not allowed in a path/],
      ["/a#x", /not allowed in a path/],
      ["/a%2", /malformed percent-escape/],
      ["/a%zz", /malformed percent-escape/],
    ];
    for (const [pattern, message] of invalid) {
      it(`rejects pattern ${JSON.stringify(pattern)}`, () => {
        expect(() => new Router<string>().add("GET", pattern, "x")).toThrow(message);
      });
    }

    it("rejects an optional param that clashes with a route without it", () => {
      const router = new Router<string>();
      router.add("GET", "/a", "x");
      expect(() => router.add("GET", "/a/:id?", "y")).toThrow("Duplicate route GET /a");
    });

    it("names the failing position", () => {
      expect(() => new Router<string>().add("GET", "/ab/*/c", "x")).toThrow('"/ab/*/c" at index 4');
    });

    for (const method of ["", "get", "G ET", "GET\r\n", "GET/", "GÉT"]) {
      it(`rejects method ${JSON.stringify(method)}`, () => {
        expect(() => new Router<string>().add(method, "/", "x")).toThrow(/Invalid method/);
      });
    }
  });

  it("scales to 10 000 static and 10 000 parametric routes", () => {
    const router = new Router<number>();
    const n = 10_000;
    for (let i = 0; i < n; i++) {
      router.add("GET", `/static/s${i}/leaf`, i);
      // Two parametric shapes: a wide static level before a param, and after one.
      if (i % 2 === 0) router.add("GET", `/p${i}/:id`, n + i);
      else router.add("POST", `/q/:id/r${i}`, n + i);
    }
    for (const i of [0, 1, 4999, 7777, n - 1]) {
      expect(router.find("GET", `/static/s${i}/leaf`)).toEqual({ value: i, params: {} });
      expect(router.find("HEAD", `/static/s${i}/leaf`)!.value).toBe(i);
      expect(router.find("POST", `/static/s${i}/leaf`)).toBeNull();
      expect(router.allowed(`/static/s${i}/leaf`)).toEqual(["GET", "HEAD"]);
    }
    for (const i of [0, 2, 5000, 7778, n - 2]) {
      expect(router.find("GET", `/p${i}/abc`)).toEqual({ value: n + i, params: { id: "abc" } });
    }
    for (const i of [1, 3, 5001, 7777, n - 1]) {
      expect(router.find("POST", `/q/x${i}/r${i}`)).toEqual({ value: n + i, params: { id: `x${i}` } });
      expect(router.find("GET", `/q/x/r${i}`)).toBeNull();
      expect(router.allowed(`/q/x/r${i}`)).toEqual(["POST"]);
    }
    expect(router.find("GET", "/static/s10000/leaf")).toBeNull();
    expect(router.find("GET", "/p1/abc")).toBeNull(); // odd indexes registered the other shape
    expect(router.find("POST", "/q/x/r0")).toBeNull();
  });
});
