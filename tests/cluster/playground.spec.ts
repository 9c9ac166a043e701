/**
 * The playground (npm run playground), in one file run serially: all of it shares the checkout's one state file.
 *
 * The README's walk-through (Kubernetes section), run exactly as written: its commands extracted from the README
 * (tests/cluster/walkthrough.ts), typed into bash in the project root one after another, the playground in the
 * background as in a second terminal, Ctrl-C sent to it as a terminal sends it. Every output line the README
 * shows must appear in the real output (digits and the checkout's path masked), and every command must end as
 * the README implies (a diagnose/smoke showing FAIL or ✘ exits 1, everything else 0). The story itself is asserted
 * too, so the README cannot quietly tell a weaker one: red with session-affinity on broken → both fixes → green →
 * both rollbacks → red with session-affinity again; and after Ctrl-C nothing the playground started still runs.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { clusterMode } from '../../fixtures/cluster';
import { labelTest } from '../../fixtures/report';
import { controlPlanePaths, pidAlive } from '../../src/k8s/control-plane';
import { isRunning, type PlaygroundState, readState, stateFile } from '../../src/playground/state';
import { stopPlayground } from '../../src/playground/stop';
import { projectRoot } from '../../src/paths';
import { readerEnv, run, Shell } from './shell';
import { missingLines, walkthroughSteps } from './walkthrough';

const readme = () => readFileSync(path.join(projectRoot, 'README.md'), 'utf8');

interface Ran {
  command: string;
  code: number | null;
  output: string;
}

const isCheck = (c: string) => /npm run (diagnose|smoke) -- playground/.test(c);
const red = (r: Ran) => r.code === 1 && /session-affinity/.test(r.output);

test.describe.configure({ mode: 'serial' });

test('README walk-through: playground broken → red → apply-fix ×2 → green → rollback ×2 → red → Ctrl-C, nothing left', { tag: ['@cluster'] }, async () => {
  const testInfo = test.info();
  test.skip(clusterMode().mode !== 'live', `needs the local control plane: ${clusterMode().reason}`);
  test.setTimeout(480_000);
  await labelTest('cluster', 'playground', 'README walk-through', 'critical');
  expect(readState(), `a playground already runs in this checkout (${stateFile}): stop it first`).toBeUndefined();
  const steps = walkthroughSteps(readme());
  const env = readerEnv();
  const exports: string[] = [];
  const ran: Ran[] = [];
  const transcript: string[] = [];
  let playground: Shell | undefined;
  let recorded: PlaygroundState | undefined;
  const shown = (lines: string[], output: string) => missingLines(lines, output, projectRoot);
  try {
    for (const step of steps) {
      if (step.kind === 'ctrl-c') {
        if (!playground) throw new Error('README: ^C before the playground was started');
        recorded = readState();
        playground.interrupt('SIGINT');
        // npm reports the interrupt in its exit status, as in a terminal: what counts is what was stopped.
        const code = await playground.done(60_000);
        transcript.push(`^C → exit ${code}\n`);
        expect(shown(step.expected, playground.output), `after ^C:\n${playground.output}`).toEqual([]);
        continue;
      }
      if (step.playgroundOutput) {
        if (!playground) throw new Error('README: playground output before the playground was started');
        const p = playground;
        await p.waitFor((out) => shown(step.expected, out).length === 0, 20_000).catch(() => {});
        expect(shown(step.expected, p.output), `the playground's terminal:\n${p.output}`).toEqual([]);
        continue;
      }
      const command = step.command as string;
      if (/^npm run playground -- (?!stop)/.test(command)) {
        playground = new Shell(command, env);
        const p = playground;
        await p.waitFor((out) => shown(step.expected, out).length === 0, 180_000);
        continue;
      }
      if (command.startsWith('export ')) {
        exports.push(command);
        continue;
      }
      const r = await run([...exports, command].join('\n'), env);
      ran.push({ command, code: r.code, output: r.output });
      transcript.push(`$ ${command}\n${r.output}[exit ${r.code} after ${r.ms} ms]\n`);
      const expectedCode = isCheck(command) && step.expected.some((l) => /\bFAIL\b|✘/.test(l)) ? 1 : 0;
      expect(r.code, `\`${command}\`:\n${r.output}`).toBe(expectedCode);
      expect(shown(step.expected, r.output), `\`${command}\` printed:\n${r.output}`).toEqual([]);
    }

    // The story, whatever the README's wording.
    const commands = ran.map((r) => r.command);
    const firstApply = commands.findIndex((c) => c.includes('apply-fix.ts'));
    const firstRollback = commands.findIndex((c) => c.includes('rollback.ts'));
    for (const fix of ['backendconfig-session-affinity', 'backendconfig-timeout']) {
      expect(commands.some((c) => c.includes(`apply-fix.ts ${fix}`)), `apply-fix ${fix}`).toBe(true);
      expect(commands.some((c) => c.includes(`rollback.ts ${fix}`)), `rollback ${fix}`).toBe(true);
    }
    const checks = (from: number, to: number) => ran.slice(from, to).filter((r) => isCheck(r.command));
    expect(checks(0, firstApply).some(red), 'before the fixes: red with session-affinity').toBe(true);
    const lastApply = commands.map((c) => c.includes('apply-fix.ts')).lastIndexOf(true);
    expect(checks(lastApply, firstRollback).at(-1)?.code, 'after both fixes: green').toBe(0);
    expect(checks(firstRollback, ran.length).some(red), 'after the rollbacks: red with session-affinity again').toBe(true);

    // Nothing left running: the playground, its control plane, its topology; the state and run dir are gone.
    expect(recorded, 'the state file existed while the playground ran').toBeDefined();
    expectNothingLeft(recorded as PlaygroundState);
  } finally {
    if (playground?.running) {
      playground.interrupt('SIGINT');
      await playground.done(60_000);
    }
    if (readState()) await stopPlayground(() => {});
    if (playground) transcript.unshift(`$ (playground) ${playground.command}\n${playground.output}\n`);
    await testInfo.attach('walk-through transcript', { body: transcript.join('\n'), contentType: 'text/plain' });
  }
});

/** Nothing the recorded playground started still runs, and its files are gone. */
function expectNothingLeft(state: PlaygroundState): void {
  expect(isRunning(state.process), 'playground process').toBe(false);
  expect(state.topology.filter(isRunning), 'topology processes').toEqual([]);
  expect(state.controlPlane.processes.filter((p) => pidAlive(p.pid)).map((p) => p.name), 'control plane processes').toEqual([]);
  expect(existsSync(state.controlPlane.dir), 'control plane data dir').toBe(false);
  expect(existsSync(stateFile), 'state file').toBe(false);
}

/** What a command printed, without npm's `> script` header lines. */
const printed = (output: string) => output.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('> '));

test('bad input: one line, exit 2, nothing started', { tag: ['@cluster'] }, async () => {
  // 11 commands, each an npm + tsx start (3-5 s, up to 15 s on a busy 2-core machine).
  test.setTimeout(300_000);
  await labelTest('cluster', 'playground', 'bad input');
  expect(readState(), `a playground already runs in this checkout (${stateFile})`).toBeUndefined();
  const env = readerEnv();
  const runDirs = () => (existsSync(controlPlanePaths().run) ? readdirSync(controlPlanePaths().run) : []);
  const before = runDirs();
  const dir = mkdtempSync(path.join(tmpdir(), 'socketproof-bad-'));
  mkdirSync(path.join(dir, 'yaml'));
  writeFileSync(path.join(dir, 'yaml', 'x.yaml'), 'kind: [\n');
  mkdirSync(path.join(dir, 'other'));
  writeFileSync(path.join(dir, 'other', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x, namespace: theia }\n');
  const cases: [string, number, RegExp][] = [
    ['npm run smoke -- playground', 2, /^socketproof smoke: no playground runs: start one with `npm run playground -- broken`$/],
    ['npm run diagnose -- playground', 2, /^socketproof diagnose: no playground runs: start one with `npm run playground -- broken`$/],
    ['npm run playground -- nope', 2, /^playground: no manifest folder "nope": name a set \(broken, healthy\) or a folder of YAML files$/],
    [`npm run playground -- ${dir}/yaml`, 2, /^playground: .*x\.yaml: not valid YAML \(line 2\)/],
    [`npm run playground -- ${dir}/other`, 2, /^playground: .*other has no Deployment theia\/theia: the playground follows the objects targets\/local\.yaml names/],
    ['KUBEBUILDER_ASSETS=/nonexistent npm run playground -- broken', 2, /^playground: not an executable: \/nonexistent\/kube-apiserver/],
    ['npm run playground -- broken healthy', 2, /^usage: npm run playground -- /],
    ['npm run playground -- stop', 0, /^\[playground [\d:]+\] no playground runs \(no .*state\.json\): nothing to stop$/],
    ['npm run manifests:apply -- nope', 2, /^manifests:apply: no manifest folder "nope"/],
    [`npm run manifests:apply -- ${dir}/yaml`, 2, /^manifests:apply: .*x\.yaml: not valid YAML/],
    ['KUBECONFIG=/nonexistent npm run manifests:apply -- healthy', 2, /^manifests:apply: no kubeconfig at \/nonexistent/],
  ];
  for (const [command, code, line] of cases) {
    const r = await run(command, env);
    expect(r.code, `${command}:\n${r.output}`).toBe(code);
    const lines = printed(r.output).filter((l) => !l.startsWith('[1/'));
    expect(lines, `${command}: one line`).toHaveLength(1);
    expect(lines[0], command).toMatch(line);
  }
  expect(readState(), 'no state written').toBeUndefined();
  expect(runDirs(), 'no control plane started').toEqual(before);
});

test('in the background: `playground -- stop` ends it; a second one is refused; an API edit is followed; a killed one is cleaned up', { tag: ['@cluster'] }, async () => {
  test.skip(clusterMode().mode !== 'live', `needs the local control plane: ${clusterMode().reason}`);
  test.setTimeout(240_000);
  await labelTest('cluster', 'playground', 'background, stop, leftovers');
  expect(readState(), `a playground already runs in this checkout (${stateFile})`).toBeUndefined();
  const env = readerEnv();
  const ready = (out: string) => /stop\s+Ctrl-C here/.test(out);
  const started: Shell[] = [];
  try {
    const pg = new Shell('npm run playground -- healthy', env);
    started.push(pg);
    await pg.waitFor(ready, 180_000);
    const state = readState() as PlaygroundState;
    expect(pg.output).toContain('traffic follows the live objects: replicas 2, affinity client-ip, lifetime cap 60000 ms, CDN off');

    const second = await run('npm run playground -- broken', env);
    expect(second.code, second.output).toBe(2);
    expect(printed(second.output)).toEqual([`playground: a playground runs (pid ${state.process.pid}, ${state.appUrl}): run \`npm run playground -- stop\` first`]);

    // An edit through the API by another client (manifests:apply of the broken set, the same field manager): the
    // playground re-reads it and the traffic follows; smoke/diagnose would wait for exactly this.
    const t0 = Date.now();
    const applied = await run(`KUBECONFIG=${state.kubeconfig} npm run manifests:apply -- broken`, env);
    expect(applied.code, applied.output).toBe(0);
    await pg.waitFor((out) => /re-read .*BackendConfig theia\/theia-backendconfig .*affinity client-ip → none, lifetime cap 60000 ms → 500 ms, CDN off → on; traffic follows \(new load balancer, same pods/.test(out), 10_000);
    test.info().annotations.push({ type: 'timing', description: `manifests:apply start → playground serving the change: ${Date.now() - t0} ms (incl. the apply process, ${applied.ms} ms)` });
    const edited = readState() as PlaygroundState;
    expect(JSON.parse(edited.served)).toEqual({ replicas: 2, lb: { affinity: 'none', lifetimeCapMs: 500, cdnCache: true } });

    const stop = await run('npm run playground -- stop', env);
    expect(stop.code, stop.output).toBe(0);
    expect(stop.output).toContain(`stopped the playground (pid ${state.process.pid})`);
    await pg.done(30_000);
    expectNothingLeft({ ...edited, topology: [...state.topology, ...edited.topology] });

    // A playground killed outright (SIGKILL: no clean-up) leaves its processes; `stop` ends exactly those.
    const killed = new Shell('npm run playground -- broken', env);
    started.push(killed);
    await killed.waitFor(ready, 180_000);
    const left = readState() as PlaygroundState;
    process.kill(left.process.pid, 'SIGKILL');
    await killed.done(30_000);
    const gone = await run('npm run diagnose -- playground', env);
    expect(gone.code).toBe(2);
    expect(printed(gone.output)).toEqual([`socketproof diagnose: the playground (pid ${left.process.pid}) is gone: run \`npm run playground -- stop\` to clean up, then start one again`]);
    const cleanup = await run('npm run playground -- stop', env);
    expect(cleanup.code, cleanup.output).toBe(0);
    expect(cleanup.output).toMatch(/had ended without cleaning up: ended \d+ topology process\(es\) and control plane/);
    expectNothingLeft(left);
  } finally {
    for (const sh of started) if (sh.running) sh.interrupt('SIGINT');
    await Promise.all(started.map((sh) => sh.done(60_000)));
    if (readState()) await stopPlayground(() => {});
  }
});
