/**
 * Debian's Chromium driven by playwright-core, for the browser tests: fails with the install
 * command when the binary is missing (never skips).
 * @module
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

const CHROMIUM = "/usr/bin/chromium";

/** Launch headless Chromium, or throw naming the package to install. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the browser test needs it (Debian: apt-get install chromium)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
}
