/**
 * Allure settings derived from the cause catalogue: one category per cause (failures grouped by what is wrong,
 * not by which test noticed), and the environment a stakeholder needs to read a run.
 */
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { causeIds, causes } from '../causes/catalogue';
import { CLUSTER_NOT_RUN_PHRASE } from '../cluster/target-access';

export function allureCategories(): { name: string; matchedStatuses: string[]; messageRegex: string }[] {
  return [
    ...causeIds.map((id) => ({
      name: causes[id].title,
      matchedStatuses: ['failed', 'broken'],
      // describeVerdict writes "cause:    <id> — <title>" into every failure message.
      messageRegex: `[\\s\\S]*cause:\\s+${id} [\\s\\S]*`,
    })),
    { name: 'Test or suite defect (no diagnosed cause)', matchedStatuses: ['failed', 'broken'], messageRegex: '[\\s\\S]*' },
    // Not a failure, but a stakeholder must see it: the target's cluster was not checked (no kubeconfig given).
    { name: 'Cluster checks not run (no kubeconfig)', matchedStatuses: ['skipped'], messageRegex: `[\\s\\S]*${CLUSTER_NOT_RUN_PHRASE}[\\s\\S]*` },
  ];
}

function git(args: string): string {
  try {
    return execSync(`git ${args}`, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return 'unknown';
  }
}

export function allureEnvironment(targets: string[]): Record<string, string> {
  const pkg = (name: string) => {
    try {
      return (JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  };
  return {
    targets: targets.join(', '),
    commit: git('rev-parse --short HEAD'),
    node: process.version,
    '@playwright/test': pkg('@playwright/test'),
    'socket.io-client': pkg('socket.io-client'),
  };
}
