// First step of `npm test`: the Debian programs the tests drive as real peers must be there.
// Missing ones are installed with apt-get when we run as root (CI, a fresh container); otherwise
// the script stops at once with the one command to run, so a suite never fails half-way for it.
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import process from "node:process";

/** A peer, how to tell it is there, and the Debian package that brings it. */
interface Peer {
  name: string;
  pkg: string;
  present: () => boolean;
}

function onPath(command: string): boolean {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    try {
      accessSync(join(dir || ".", command), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const peers: Peer[] = [
  { name: "curl", pkg: "curl", present: () => onPath("curl") },
  // The tests start this exact path (test/ws-interop.node.test.ts).
  { name: "chromium", pkg: "chromium", present: () => executable("/usr/bin/chromium") },
  {
    name: "python3-websockets",
    pkg: "python3-websockets",
    present: () => spawnSync("/usr/bin/python3", ["-c", "import websockets"], { stdio: "ignore" }).status === 0,
  },
  { name: "nghttp", pkg: "nghttp2-client", present: () => onPath("nghttp") },
  { name: "h2load", pkg: "nghttp2-client", present: () => onPath("h2load") },
  { name: "openssl", pkg: "openssl", present: () => onPath("openssl") },
  { name: "wrk", pkg: "wrk", present: () => onPath("wrk") },
  { name: "redis-server", pkg: "redis-server", present: () => onPath("redis-server") },
  // `ss` reads a listening socket's queue depth (test/contract/connection-limit-cases.ts).
  { name: "ss", pkg: "iproute2", present: () => onPath("ss") },
];

function missingPackages(): string[] {
  return [...new Set(peers.filter((peer) => !peer.present()).map((peer) => peer.pkg))];
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (result.status !== 0) {
    console.error(`preflight: ${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

let missing = missingPackages();
if (missing.length > 0) {
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !onPath("apt-get")) {
    console.error(`preflight: missing Debian packages; run:\n  sudo apt-get install -y ${missing.join(" ")}`);
    process.exit(1);
  }
  console.log(`preflight: installing ${missing.join(" ")} (apt-get)`);
  run("apt-get", ["update", "-qq"]);
  run("apt-get", ["install", "-y", "-qq", ...missing]);
  missing = missingPackages();
  if (missing.length > 0) {
    console.error(`preflight: still missing after apt-get install: ${missing.join(" ")}`);
    process.exit(1);
  }
}
console.log(`preflight: found ${peers.map((peer) => peer.name).join(", ")}`);
