// Fails loudly when a runtime of the test matrix is missing, instead of letting a suite skip.
import { execFileSync } from "node:child_process";
import process from "node:process";

const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  console.error(
    `check-runtimes: Node ${process.versions.node} runs the tests; Node 24 is expected (npm install provides it).`,
  );
  process.exit(1);
}
let missing = 0;
for (const [name, args] of [["bun", ["--version"]], ["deno", ["--version"]]] as const) {
  try {
    const version = execFileSync(name, args, { encoding: "utf8" }).split("\n")[0];
    console.log(`check-runtimes: ${name} ${version}`);
  } catch {
    console.error(`check-runtimes: ${name} is missing; run npm install (it comes from the devDependency "${name}").`);
    missing++;
  }
}
console.log(`check-runtimes: node ${process.versions.node}`);
if (missing > 0) process.exit(1);
