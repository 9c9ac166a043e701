/**
 * The README's walk-through (Kubernetes section), run exactly as written: its commands extracted from the README
 * (tests/cluster/walkthrough.ts), typed into bash in the project root one after another, the playground in the
 * background as in a second terminal, Ctrl-C sent to it as a terminal sends it. Every output line the README
 * shows must appear in the real output (digits and the checkout's path masked), and every command must end as
 * the README implies (a diagnose/smoke showing FAIL or ✘ exits 1, everything else 0). The story itself is asserted
 * too, so the README cannot quietly tell a weaker one: red with session-affinity on broken → both fixes → green →
 * both rollbacks → red with session-affinity again; and after Ctrl-C nothing the playground started still runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { clusterMode } from '../../fixtures/cluster';
import { labelTest } from '../../fixtures/report';
import { pidAlive } from '../../src/k8s/control-plane';
import { isRunning, type PlaygroundState, readState, stateFile } from '../../src/playground/state';
import { stopPlayground } from '../../src/playground/stop';
import { projectRoot } from '../../src/targets/load';
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
    const state = recorded as PlaygroundState;
    expect(isRunning(state.process), 'playground process').toBe(false);
    expect(state.topology.filter(isRunning), 'topology processes').toEqual([]);
    expect(state.controlPlane.processes.filter((p) => pidAlive(p.pid)).map((p) => p.name), 'control plane processes').toEqual([]);
    expect(existsSync(state.controlPlane.dir), 'control plane data dir').toBe(false);
    expect(existsSync(stateFile), 'state file').toBe(false);
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
