/**
 * Starts the embedded topology of a target by hand and keeps it running until Ctrl-C: the same processes the suite
 * starts (real nginx for the LB and each pod, the app in each pod), on loopback ports the OS hands out.
 *   npm run serve -- [local | local-root | local-plain | <embedded target .yaml>] [--fault <id>] [--theia-timers]
 * --fault: one fault of faults/traffic.yaml (e.g. no-affinity, lb-strips-upgrade).
 * --theia-timers: Theia's real pingInterval/pingTimeout (30000/60000) instead of the target's scaled ones — a
 *   production-shaped deployment for `npm run smoke -- production` (SOCKETPROOF_PRODUCTION_URL=<lb>).
 * Prints one JSON line {"lb": …, "pod-nginx": …, "pod": …} once every port accepts; exit 2 on bad input.
 */
import { findFault } from '../src/faults/traffic';
import { loadTarget, TargetError } from '../src/targets/load';
import { deepMerge } from '../src/topology/defaults';
import { embeddedSettings } from '../src/runtime/embedded-settings';
import { startTopology } from '../src/topology/topology';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
try {
  const fault = flag('--fault');
  const theiaTimers = args.includes('--theia-timers');
  const rest = args.filter((a) => a !== '--theia-timers');
  if (rest.some((a) => a.startsWith('--'))) throw new TargetError(`unknown option ${rest.find((a) => a.startsWith('--'))}`);
  const target = loadTarget(rest[0] ?? 'local');
  if (target.kind !== 'embedded') throw new TargetError(`target ${target.name} is not embedded: nothing to start`);
  if (fault) findFault(fault);
  let settings = embeddedSettings(target, { ...process.env, SOCKETPROOF_FAULT: fault });
  if (theiaTimers) settings = deepMerge(settings, { theia: { pingInterval: 30_000, pingTimeout: 60_000 } });
  const topology = await startTopology(settings);
  console.log(JSON.stringify(topology.hopUrls));
  console.error(`socketproof serve: ${target.name}${fault ? ` with fault ${fault}` : ''} at ${topology.lbUrl} (Ctrl-C ends it)`);
  const stop = () => void topology.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  if (error instanceof TargetError || (error instanceof Error && error.message.startsWith('unknown fault'))) {
    console.error(`socketproof serve: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
