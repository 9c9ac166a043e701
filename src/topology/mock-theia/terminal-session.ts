import { interpret } from './terminal-sim';

/**
 * The line discipline a pty would apply: local echo, backspace, Enter runs the line. Kept apart from the socket
 * code so it can be driven (and tested) with plain strings.
 */

export const PROMPT = '$ ';
const CLEAR_SCREEN = '\x1b[2J\x1b[H';
const ERASE_CHAR = '\b \b';

export interface TerminalSession {
  /** Banner + first prompt, sent when the page opens its terminal. */
  open(): string;
  /** Feeds typed bytes (as text); returns what the terminal must display. */
  input(data: string): string;
}

export function createTerminalSession(pod: string, now: () => Date = () => new Date()): TerminalSession {
  let line = '';
  // Remaining chars of an escape sequence (arrow keys, etc.) to swallow: the sim has no history or cursor moves.
  let inEscape = false;
  // `\r\n` from a script is one Enter, not two.
  let lastWasCR = false;

  function runLine(): string {
    const result = interpret(line, { pod, now: now() });
    line = '';
    if (result.clear) return CLEAR_SCREEN + PROMPT;
    return `\r\n${result.lines.map((l) => `${l}\r\n`).join('')}${PROMPT}`;
  }

  return {
    open: () => `Simulated terminal on ${pod} (type 'help')\r\n${PROMPT}`,
    input(data: string): string {
      let out = '';
      for (const ch of data) {
        const afterCR = lastWasCR;
        lastWasCR = ch === '\r';
        if (inEscape) {
          // CSI sequences end with a letter or '~'; `ESC [` keeps going.
          if (/[A-Za-z~]/.test(ch)) inEscape = false;
          continue;
        }
        if (ch === '\x1b') {
          inEscape = true;
        } else if (ch === '\n' && afterCR) {
          // second half of \r\n: already handled
        } else if (ch === '\r' || ch === '\n') {
          // The leading \r\n of runLine ends the echoed line; clear skips it on purpose.
          out += runLine();
        } else if (ch === '\x7f' || ch === '\b') {
          if (line.length > 0) {
            line = Array.from(line).slice(0, -1).join('');
            out += ERASE_CHAR;
          }
        } else if (ch === '\x03') {
          line = '';
          out += `^C\r\n${PROMPT}`;
        } else if (ch >= ' ') {
          line += ch;
          out += ch;
        }
      }
      return out;
    },
  };
}
