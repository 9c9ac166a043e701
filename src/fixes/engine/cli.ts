/**
 * The shell of apply-fix and rollback: parse, print the usage on --help, run with Ctrl-C/SIGTERM handled by the
 * interrupt gate, and turn anything thrown before the run into one line and exit code 2 (refused, nothing changed).
 */
import { InterruptGate } from './interrupt';
import { ExitCode, oneLine } from './outcome';
import { consoleOutput, type Output } from './progress';

export async function runScript<O>(
  name: string,
  parse: (argv: string[]) => O | 'help',
  usage: string,
  run: (opts: O, out: Output, gate: InterruptGate) => Promise<number>,
): Promise<never> {
  let code: number;
  try {
    const opts = parse(process.argv.slice(2));
    if (opts === 'help') {
      console.log(usage);
      code = ExitCode.ok;
    } else {
      const gate = new InterruptGate(consoleOutput).install();
      code = await run(opts, consoleOutput, gate);
      gate.uninstall();
    }
  } catch (e) {
    console.error(`${name}: ${oneLine(e)}`);
    code = ExitCode.refused;
  }
  process.exit(code);
}
