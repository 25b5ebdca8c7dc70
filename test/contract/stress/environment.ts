import process from "node:process";

/** An environment variable, or "" when unset or unreadable (Deno without --allow-env). */
export function envValue(name: string): string {
  try {
    return process.env[name] ?? "";
  } catch {
    return "";
  }
}

/**
 * Deadlines stretch by this factor where all code runs slower: under V8 block coverage byte loops
 * run 2–4× slower, so `npm run test:node` (vitest --coverage) sets WIRECORE_TIME_SCALE=3. The quiet
 * periods that detect a stall stay as they are.
 */
export const TIME_SCALE: number = Number(envValue("WIRECORE_TIME_SCALE")) || 1;
