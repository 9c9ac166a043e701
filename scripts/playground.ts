/**
 * The fix story by hand (README, "Kubernetes"):
 *
 *   npm run playground -- [broken|healthy|<manifest folder>]   start (default: broken); Ctrl-C stops it
 *   npm run playground -- stop                                  stop one left running in the background
 *
 * Exit codes: 0 stopped cleanly; 1 failed after starting (everything started was stopped); 2 bad input, nothing
 * started. Everything is in src/playground/; this is its command line.
 */
import { runPlayground, say } from '../src/playground/start';
import { stopPlayground } from '../src/playground/stop';

const args = process.argv.slice(2);
if (args.length > 1 || args.some((a) => a.startsWith('-'))) {
  console.error('usage: npm run playground -- [broken|healthy|<manifest folder>|stop]');
  process.exit(2);
}
const [arg = 'broken'] = args;
process.exit(arg === 'stop' ? await stopPlayground(say) : await runPlayground(arg));
