/**
 * The lint command line:
 *   npm run lint -- <files or folders…> [--format text|json|sarif] [--fail-on error|warning|info]
 *                   [--session-seconds N] [--ping-interval MS] [--ping-timeout MS]
 *                   [--socket-path /path/socket.io/]… [--health-path /health]…
 * Anything wrong with the command line is one line and exit code 2, like a missing file.
 */
import { defaultLintOptions, LintInputError, type LintOptions, type Severity, severities } from './types';

export const formats = ['text', 'json', 'sarif'] as const;
export type Format = (typeof formats)[number];

export interface LintCommand {
  paths: string[];
  format: Format;
  failOn: Severity;
  options: LintOptions;
  help: boolean;
}

export const LINT_USAGE = `usage: npm run lint -- <files or folders…> [--format text|json|sarif] [--fail-on error|warning|info] [--session-seconds N] [--ping-interval MS] [--ping-timeout MS] [--socket-path P]… [--health-path P]…`;

const valueFlags = ['--format', '--fail-on', '--session-seconds', '--ping-interval', '--ping-timeout', '--socket-path', '--health-path'];

function positiveInt(flag: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) <= 0) throw new LintInputError(`${flag} needs a positive whole number, not "${value}"`);
  return Number(value);
}

function urlPath(flag: string, value: string): string {
  if (!value.startsWith('/')) throw new LintInputError(`${flag} needs a path starting with /, not "${value}"`);
  return value;
}

export function parseLintArgs(argv: string[]): LintCommand {
  const cmd: LintCommand = { paths: [], format: 'text', failOn: 'error', options: { ...defaultLintOptions, socketPaths: [], healthPaths: [] }, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) {
      cmd.paths.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (flag === '--help') {
      cmd.help = true;
      continue;
    }
    if (!valueFlags.includes(flag)) throw new LintInputError(`unknown option ${flag} (${LINT_USAGE})`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new LintInputError(`${flag} needs a value (${LINT_USAGE})`);
    switch (flag) {
      case '--format':
        if (!formats.includes(value as Format)) throw new LintInputError(`--format must be one of ${formats.join(', ')}, not "${value}"`);
        cmd.format = value as Format;
        break;
      case '--fail-on':
        if (!severities.includes(value as Severity)) throw new LintInputError(`--fail-on must be one of ${severities.join(', ')}, not "${value}"`);
        cmd.failOn = value as Severity;
        break;
      case '--session-seconds':
        cmd.options.sessionSeconds = positiveInt(flag, value);
        break;
      case '--ping-interval':
        cmd.options.pingIntervalMs = positiveInt(flag, value);
        break;
      case '--ping-timeout':
        cmd.options.pingTimeoutMs = positiveInt(flag, value);
        break;
      case '--socket-path':
        cmd.options.socketPaths.push(urlPath(flag, value));
        break;
      case '--health-path':
        cmd.options.healthPaths.push(urlPath(flag, value));
        break;
    }
  }
  if (!cmd.help && cmd.paths.length === 0) throw new LintInputError(`no files or folders to lint (${LINT_USAGE})`);
  return cmd;
}
