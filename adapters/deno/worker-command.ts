/**
 * How a Deno primary re-runs its own program for a worker, with the permissions it has and no more.
 * @module
 */
import type { ListenTarget } from "../../core/mod.ts";
import type { WorkerCommand } from "../workers.ts";

/** Permission flags that are all-or-nothing to a `querySync` without a descriptor. */
const PERMISSIONS = ["read", "write", "net", "env", "run", "sys", "ffi", "import"] as const;

/**
 * The command line of this process when it may read it (`/proc/self/cmdline`, Linux): the exact flags it was started
 * with, so a worker gets the very same permissions, config and import map. `null` when it is not `deno run`.
 */
function ownCommandLine(deno: typeof Deno): string[] | null {
  const path = "/proc/self/cmdline";
  // Only read what is granted already: a query never prompts, a read without permission would.
  if (deno.permissions.querySync({ name: "read", path }).state !== "granted") return null;
  try {
    const argv = deno.readTextFileSync(path).split("\0");
    if (argv.at(-1) === "") argv.pop();
    return argv[1] === "run" ? argv.slice(1) : null;
  } catch {
    return null;
  }
}

/**
 * Without its own command line, a primary rebuilds the permission flags from what is granted in full; a partial grant
 * (`--allow-read=/srv`) cannot be read back, so the worker does not get it — narrower, never wider. `--allow-net` for
 * the listening address is the one partial grant forwarded, as the worker needs it to listen.
 */
function grantedFlags(deno: typeof Deno, listen: string): string[] {
  const flags: string[] = [];
  for (const name of PERMISSIONS) {
    let state: string;
    try {
      state = deno.permissions.querySync({ name } as Deno.PermissionDescriptor).state;
    } catch {
      continue; // a permission this Deno does not know
    }
    if (state === "granted") flags.push(`--allow-${name}`);
  }
  if (!flags.includes("--allow-net")) {
    if (deno.permissions.querySync({ name: "net", host: listen }).state === "granted") {
      flags.push(`--allow-net=${listen}`);
    }
  }
  return flags;
}

/**
 * `deno run <the same flags> --unstable-net <main module> <args>`: `--unstable-net` because `Deno.listen`'s
 * `reusePort` still needs it (Deno 2.9); `--no-prompt` because a worker has no terminal to ask on.
 */
export function denoWorkerCommand(where: ListenTarget): WorkerCommand {
  const deno = Deno;
  const own = ownCommandLine(deno);
  const extra = ["--unstable-net", "--no-prompt"];
  if (own !== null) {
    const [run, ...rest] = own;
    return {
      command: deno.execPath(),
      args: [run as string, ...extra.filter((flag) => !rest.includes(flag)), ...rest],
    };
  }
  const listen = `${where.hostname.includes(":") ? `[${where.hostname}]` : where.hostname}:${where.port}`;
  return {
    command: deno.execPath(),
    args: ["run", ...grantedFlags(deno, listen), ...extra, deno.mainModule, ...deno.args],
  };
}
