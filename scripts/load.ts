/**
 * Load and soak: N concurrent Socket.IO sessions through a target, each echoing for the duration; prints a live
 * progress line, then the summary table and the verdicts (the seed's alert rules among them), and writes JSON,
 * OpenMetrics and two SVG pictures to --out.
 *   npm run load -- [local | <target> | <file.yaml>] [--sessions 100] [--duration 60s] [--ramp 10s]
 *        [--transport auto|websocket] [--hop lb] [--echo-every 1s] [--fault <id>] [--out reports/load]
 *        [--nginx-workers N] [--target-timers] [--confirm-load <target name>]
 * --confirm-load is required for a read-only target (production), whose --sessions is capped.
 * An embedded app pings every 30 s as Theia does (--target-timers: at the target's scale, local's 500 ms).
 * Exit code: 0 every verdict green, 1 a verdict red, 2 bad input or a host that cannot hold the run.
 */
import { findFault } from '../src/faults/traffic';
import { loadTarget, TargetError } from '../src/targets/load';
import { hostLimitProblem, nginxCapacity } from '../src/load/capacity';
import { defaultPlan, loadAndJudge, writeLoadFiles } from '../src/load/load';
import { checkAgainstTarget, LoadOptionError, parseLoadArgs } from '../src/load/options';
import { openLoadTarget } from '../src/load/open-target';
import { progressLine, summaryTable } from '../src/load/report';

let opts: ReturnType<typeof parseLoadArgs>;
let target: ReturnType<typeof loadTarget>;
try {
  opts = parseLoadArgs(process.argv.slice(2));
  target = loadTarget(opts.target);
  checkAgainstTarget(opts, target);
  if (opts.fault) findFault(opts.fault);
  if (target.kind === 'embedded') {
    const problem = hostLimitProblem(opts.sessions);
    if (problem) throw new LoadOptionError(problem);
  }
} catch (error) {
  if (error instanceof LoadOptionError || error instanceof TargetError || (error instanceof Error && error.message.startsWith('unknown fault'))) {
    console.error(`socketproof load: ${error.message}`);
    process.exit(2);
  }
  throw error;
}

const capacity = target.kind === 'embedded' ? nginxCapacity(opts.sessions, opts.nginxWorkers) : undefined;
const opened = await openLoadTarget(target, { hop: opts.hop, fault: opts.fault, capacity, theiaTimers: target.kind === 'embedded' && opts.theiaTimers });
let failed = false;
const stop = async () => {
  await opened.topology?.stop();
};
process.once('SIGINT', () => void stop().then(() => process.exit(130)));
try {
  const plan = defaultPlan({ sessions: opts.sessions, durationMs: opts.durationMs, rampMs: opts.rampMs, transport: opts.transport, echoEveryMs: opts.echoEveryMs });
  console.error(
    `socketproof load: ${opts.sessions} sessions (${opts.transport}) on ${target.name} hop ${opened.ctx.hop.name} for ${opts.durationMs / 1000} s, ramp ${opts.rampMs / 1000} s${opts.fault ? `, fault ${opts.fault}` : ''}${target.kind === 'embedded' ? (opts.theiaTimers ? ", Theia's ping timers" : ", the target's ping timers") : ''}${capacity ? `, nginx ${capacity.workers} worker(s) × ${capacity.connections} connections` : ''}`,
  );
  const tty = process.stderr.isTTY;
  const result = await loadAndJudge(opened.ctx, plan, (live, t) => {
    const line = progressLine(live, t, opts.sessions);
    process.stderr.write(tty ? `\r${line}` : `${line}\n`);
  });
  if (tty) process.stderr.write('\n');
  console.log(summaryTable(result.summary, result.verdicts));
  const files = await writeLoadFiles(result, opts.out);
  console.log(`\nwritten: ${files.join(', ')}`);
  failed = result.verdicts.some((v) => !v.ok);
} finally {
  await stop();
}
process.exit(failed ? 1 : 0);
