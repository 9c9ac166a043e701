/**
 * Lint for a target: when its `cluster` section names the desired manifest set (`desired`, default healthy), lint
 * kind/manifests/<set>/ against the target's own session length. Diagnose prints it next to the verdicts.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../paths';
import type { Target } from '../targets/target';
import { type LintReport, lintPaths } from './run';
import { defaultLintOptions } from './types';

export function lintTargetManifests(target: Target): { dir: string; report: LintReport } | undefined {
  if (!target.cluster) return undefined;
  const dir = path.join(projectRoot, 'kind', 'manifests', target.cluster.desired ?? 'healthy');
  if (!existsSync(dir)) return undefined;
  const report = lintPaths([dir], { ...defaultLintOptions, sessionSeconds: target.cluster.sessionLengthSeconds });
  return { dir: path.relative(projectRoot, dir), report };
}
