/**
 * Which Chromium the suite drives: SOCKETPROOF_CHROMIUM, else Debian's real binary (/usr/bin/chromium is a shell
 * wrapper), else Playwright's own download where one exists. One lookup for playwright.config.ts and the scripts.
 */
import { existsSync } from 'node:fs';

export const DEBIAN_CHROMIUM = '/usr/lib/chromium/chromium';

export function chromiumExecutable(env = process.env): string | undefined {
  return env.SOCKETPROOF_CHROMIUM ?? (existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined);
}
