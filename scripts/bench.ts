/**
 * Benchmark: prints figures, never asserts them (the machines are noisy; quote ratios).
 *  - topology start (2 replicas) vs one bare mock-Theia process start, same process: the cost of the proxies;
 *  - each traffic check through the LB vs directly on the pod (the baseline), same topology;
 *  - wall time of the whole local suite (`npx playwright test --project=local`), run as a user would.
 *  - load: N concurrent sessions (default 2000) opened with no ramp through the LB, then directly on the app, same
 *    machine, one after the other: sessions/s, the time to open N, echo p95 and the LB/direct ratio (src/load/bench.ts);
 *  - the Kubernetes side: a local control plane's start, apply-fix → verified, rollback (skipped when not built).
 * Usage: npm run bench [-- --runs 5] [-- --no-suite] [-- --no-cluster] [-- --no-load] [-- --load-sessions 2000]
 *        [-- --load-duration 45s] [-- --nginx-workers 1] [-- --only-load]
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { $ } from 'zx';
import { trafficChecks } from '../src/checks/registry';
import { benchFixes } from '../src/fixes/engine/bench';
import { benchLoad } from '../src/load/bench';
import { hostLimitProblem } from '../src/load/capacity';
import { parseDuration } from '../src/load/options';
import { loadTarget, withHopUrls } from '../src/targets/load';
import { healthySettings } from '../src/topology/defaults';
import { startTopology } from '../src/topology/topology';
import { spawnManaged } from '../src/os/managed-process';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 3;
const flagValue = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const onlyLoad = args.includes('--only-load');
const loadSessions = Number(flagValue('--load-sessions') ?? 2000);
const loadProblem = hostLimitProblem(loadSessions);
if (!Number.isInteger(loadSessions) || loadSessions < 1 || loadProblem) {
  console.error(`socketproof bench: --load-sessions ${flagValue('--load-sessions') ?? loadSessions}: ${loadProblem ?? 'not a positive whole number'}`);
  process.exit(2);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const ms = (x: number) => `${x.toFixed(0)} ms`;

async function timeIt<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const value = await fn();
  return [performance.now() - t0, value];
}

async function bareTheiaStart(): Promise<number> {
  const config = JSON.stringify({ podName: 'bench', port: 0, ...healthySettings().theia });
  const [t, proc] = await timeIt(() =>
    spawnManaged({
      name: 'bench-theia',
      command: process.execPath,
      args: ['--import', 'tsx', 'src/topology/mock-theia/main.ts', '--config', config],
      ready: { line: /"event":"listening"/ },
      deadlineMs: 15_000,
    }),
  );
  await proc.stop();
  return t;
}

console.log(`socketproof bench — ${runs} runs each, median shown (load average ${loadavg().map((x) => x.toFixed(2)).join(' ')})\n`);
if (!onlyLoad) await startAndChecks();

if (!args.includes('--no-load')) {
  const durationMs = parseDuration(flagValue('--load-duration') ?? '45s', '--load-duration');
  const workers = flagValue('--nginx-workers');
  console.log(`\nload: ${loadSessions} sessions, no ramp, ${durationMs / 1000} s each, through the LB then directly on the app`);
  await benchLoad({ sessions: loadSessions, durationMs, nginxWorkers: workers ? Number(workers) : undefined }, (line) => console.log(line));
  console.log(`(load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')})`);
}

/** Topology start and each traffic check, LB vs the innermost hop (as before the load figures existed). */
async function startAndChecks(): Promise<void> {
  const bare: number[] = [];
  const topo: number[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(await bareTheiaStart());
    const [t, topology] = await timeIt(() => startTopology(healthySettings()));
    topo.push(t);
    await topology.stop();
  }
  console.log(`mock Theia process start (baseline)   ${ms(median(bare))}`);
  console.log(`topology start, 2 replicas + LB       ${ms(median(topo))}   ratio ${(median(topo) / median(bare)).toFixed(2)}× baseline\n`);

  const topology = await startTopology(healthySettings());
  try {
    const target = withHopUrls(loadTarget('local'), topology.hopUrls);
    const hop = (name: string) => {
      const h = target.hops.find((x) => x.name === name);
      if (!h) throw new Error(`no hop ${name}`);
      return h;
    };
    console.log('check                  baseline (hop)           lb        ratio');
    for (const check of trafficChecks) {
      if (check.name === 'connection-lifetime') continue; // its duration is the declared session length by design
      // The baseline is the innermost hop the check applies to: the pod itself, or its nginx for /health.
      const base = check.appliesTo(hop('pod')) ? 'pod' : 'pod-nginx';
      const times: Record<string, number[]> = { [base]: [], lb: [] };
      for (let i = 0; i < runs; i++) {
        for (const name of [base, 'lb']) {
          const [t, v] = await timeIt(() => check.run({ target, hop: hop(name) }));
          if (!v.ok) console.log(`  (${check.name} via ${name} failed: ${v.observed})`);
          times[name]?.push(t);
        }
      }
      const b = median(times[base] ?? []);
      const lb = median(times.lb ?? []);
      console.log(`${check.name.padEnd(22)} ${`${ms(b)} (${base})`.padEnd(24)} ${ms(lb).padEnd(9)} ${(lb / b).toFixed(2)}×`);
    }
  } finally {
    await topology.stop();
  }
}

if (!onlyLoad && !args.includes('--no-cluster')) {
  console.log('\ncluster: local control plane, apply-fix backendconfig-timeout on the broken manifests, rollback');
  await benchFixes(runs, (line) => console.log(line));
}

if (!onlyLoad && !args.includes('--no-suite')) {
  console.log('\nwhole local suite: npx playwright test --project=local …');
  const [t, out] = await timeIt(() => $({ nothrow: true, quiet: true })`npx playwright test --project=local --reporter=line`);
  const summary = out.stdout.split('\n').filter((l) => /passed|failed/.test(l)).join(' ').trim();
  console.log(`local suite wall time                 ${(t / 1000).toFixed(1)} s  (${summary || `exit ${out.exitCode}`})`);
}
