/**
 * How the browser check gets hold of a terminal's input, once the page is connected. The target chooses
 * (`browser.driver`):
 * - `selectors`: wait for the ready selector and for the preload overlay to be detached (keys pressed while Theia's
 *   overlay is up are lost), then press the target's `openTerminal` keys, or take the page's first terminal.
 * - `theia`: the steps of Theia's own system tests (@theia/playwright `TheiaApp.openTerminal`): workbench shell,
 *   preload overlay detached, main menu Terminal → New Terminal, the new terminal's input. Written here rather than
 *   imported: its waits have no deadline, and a check must end within the target's `deadlineMs`.
 * The `theia` driver declines Theia's workspace-trust dialog when it shows: terminals work in Restricted Mode, and
 * declining writes nothing on the server, whereas trusting adds the folder to the user's settings — a read-only
 * check never trusts on a user's behalf.
 */
import type { Locator, Page } from '@playwright/test';
import type { Target } from '../targets/target';

export interface TerminalInput {
  input: Locator;
  /** What the driver had to do on the way (a declined trust dialog), for the verdict. */
  notes: string[];
}

/** Theia 1.74's DOM (lumino widgets), as @theia/playwright 1.74.1 addresses it. */
export const THEIA_DOM = {
  menuBarLabel: '#theia\\:menubar .lm-MenuBar-itemLabel',
  openMenu: '.lm-Menu.lm-MenuBar-menu',
  menuItemLabel: '.lm-Menu-content .lm-Menu-itemLabel',
  trustDialog: '.workspace-trust-dialog',
  /** The dialog's close button ("No, I don't trust the authors"): Theia's secondary dialog button. */
  trustDecline: '.workspace-trust-dialog .dialogControl button.secondary',
} as const;

const TRUST_IS_UP =
  "Theia's workspace-trust dialog is up: typing would answer it (Enter trusts the workspace and writes it into the user's settings); browser.driver: theia declines it";

/** One menu attempt may take this long before it is retried (a click that landed while the workbench settled). */
const MENU_ATTEMPT_MS = 5000;

export async function until(predicate: () => boolean | Promise<boolean>, deadlineMs: number): Promise<boolean> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if (await predicate()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return predicate();
}

/** The workbench is usable: ready selector present, preload overlay detached. A string says which did not happen. */
async function waitUsable(page: Page, target: Target, deadlineMs: number): Promise<string | undefined> {
  const { ready, preload } = target.browser;
  const step = (what: string, wait: () => Promise<unknown>) =>
    wait().then(
      () => undefined,
      () => `${what} within ${deadlineMs} ms`,
    );
  return (
    (ready && (await step(`the app did not show ${ready}`, () => page.locator(ready).first().waitFor({ timeout: deadlineMs })))) ||
    (preload &&
      (await step(`the app's loading overlay ${preload} did not go away`, () =>
        page.locator(preload).first().waitFor({ state: 'detached', timeout: deadlineMs }),
      ))) ||
    undefined
  );
}

async function selectorsDriver(page: Page, target: Target, deadlineMs: number): Promise<TerminalInput | string> {
  const { openTerminal, selectors } = target.browser;
  const notReady = await waitUsable(page, target, deadlineMs);
  if (notReady) return notReady;
  // Counted by their inputs: one xterm helper textarea per terminal, whatever else carries a terminal-like id.
  const terminals = page.locator(selectors.input);
  if (!openTerminal) return { input: terminals.first(), notes: [] };
  const before = await terminals.count();
  await page.keyboard.press(openTerminal);
  const opened = await until(async () => (await terminals.count()) > before, deadlineMs);
  if (!opened) return `pressing ${openTerminal} opened no terminal (${selectors.input}: still ${before}) within ${deadlineMs} ms`;
  // Theia's keybinding opens a terminal behind its trust dialog, but the dialog keeps the focus: the text would go
  // nowhere and Enter would press "Yes, I trust the authors", which writes a trusted folder into the user's settings
  // on the server (seen on Theia 1.74.1). Never type into that.
  if ((await page.locator(THEIA_DOM.trustDialog).count()) > 0) return TRUST_IS_UP;
  return { input: terminals.last(), notes: [] };
}

/** Declines the workspace-trust dialog if it is showing; true when it did. */
async function declineTrust(page: Page): Promise<boolean> {
  if ((await page.locator(THEIA_DOM.trustDialog).count()) === 0) return false;
  await page.locator(THEIA_DOM.trustDecline).first().click({ timeout: MENU_ATTEMPT_MS });
  await page.locator(THEIA_DOM.trustDialog).waitFor({ state: 'detached', timeout: MENU_ATTEMPT_MS });
  return true;
}

async function theiaDriver(page: Page, target: Target, deadlineMs: number): Promise<TerminalInput | string> {
  const notReady = await waitUsable(page, target, deadlineMs);
  if (notReady) return notReady;
  const notes: string[] = [];
  const noteTrust = (declined: boolean) => {
    if (declined) notes.push('declined the workspace-trust dialog (Restricted Mode: terminals work, nothing is written on the server)');
  };
  const inputs = page.locator(target.browser.selectors.input);
  const before = await inputs.count();
  const end = Date.now() + deadlineMs;
  let attempts = 0;
  const failures: string[] = [];
  while (Date.now() < end) {
    attempts++;
    const budget = Math.max(1, Math.min(MENU_ATTEMPT_MS, end - Date.now()));
    try {
      noteTrust(await declineTrust(page));
      await page.locator(THEIA_DOM.menuBarLabel, { hasText: /^Terminal$/ }).first().click({ timeout: budget });
      await page.locator(THEIA_DOM.openMenu).first().waitFor({ timeout: budget });
      await page.locator(THEIA_DOM.menuItemLabel, { hasText: /^New Terminal$/ }).first().click({ timeout: budget });
      if (await until(async () => (await inputs.count()) > before, budget)) {
        noteTrust(await declineTrust(page)); // a dialog that came up meanwhile would take the keystrokes
        return { input: inputs.last(), notes };
      }
      failures.push('no new terminal input after New Terminal');
    } catch (err) {
      failures.push((err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '');
    }
    // A menu left open (or a half-made click) must not swallow the next attempt.
    await page.keyboard.press('Escape').catch(() => undefined);
  }
  return `main menu Terminal → New Terminal opened no terminal (${target.browser.selectors.input}: still ${before}) within ${deadlineMs} ms, ${attempts} attempt(s); last: ${failures.at(-1) ?? 'none'}`;
}

/** How long typed text may take to come back from the terminal's shell before it is typed again. */
const ECHO_WAIT_MS = 3000;

/**
 * Types `command` and Enter into the terminal. A new Theia terminal drops what is typed before its shell is
 * connected (seen on Theia 1.74.1 behind HTTPS: the text was lost, the Enter arrived), so the text is typed again
 * until the shell echoes it (`echoed`, read from the WebSocket frames) — a doubled command still ends with the nonce —
 * and only then Enter. The trust dialog can come up at any moment of Theia's start and takes the focus: it is
 * looked for before Enter (the `theia` driver declines it and types again, the `selectors` driver stops), and Enter
 * goes to the terminal's own textarea, which Theia's dialogs leave alone. A string says why nothing was sent.
 */
export async function typeCommand(
  page: Page,
  target: Target,
  opened: TerminalInput,
  command: string,
  echoed: () => boolean,
  deadlineMs: number,
): Promise<string | undefined> {
  const end = Date.now() + deadlineMs;
  let typed = 0;
  do {
    await opened.input.focus();
    // One input event, like a paste: the check measures the connection, not typing speed.
    await page.keyboard.insertText(command);
    typed++;
    if ((await page.locator(THEIA_DOM.trustDialog).count()) > 0) {
      if (target.browser.driver !== 'theia') return TRUST_IS_UP;
      await declineTrust(page);
      opened.notes.push('declined the workspace-trust dialog that came up while typing');
      continue;
    }
    if (await until(echoed, Math.max(0, Math.min(ECHO_WAIT_MS, end - Date.now())))) break;
  } while (Date.now() < end);
  if (typed > 1) opened.notes.push(`typed ${typed} times before the terminal's shell echoed it`);
  await opened.input.press('Enter');
  return undefined;
}

/** A terminal input to type into, or the reason there is none. */
export function openTerminalInput(page: Page, target: Target, deadlineMs: number): Promise<TerminalInput | string> {
  return target.browser.driver === 'theia' ? theiaDriver(page, target, deadlineMs) : selectorsDriver(page, target, deadlineMs);
}
