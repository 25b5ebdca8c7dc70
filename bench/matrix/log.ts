/**
 * The bench's progress log: stderr, so that stdout holds only the header and the tables.
 */
import process from "node:process";

/** One line of progress on stderr. */
export function log(message: string): void {
  process.stderr.write(message + "\n");
}
