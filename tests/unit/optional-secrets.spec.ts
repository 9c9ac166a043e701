/**
 * The nightly run's optional secrets, decided from the environment alone: an auth header whose variable is unset
 * or empty is not sent (and said once); a hop URL's variable stays required; a target's own cluster without any
 * kubeconfig is "not run" (or required), with one given it is connected to; the project filter holds the matching
 * tests. The nested runs in tests/self/nightly-workflow.spec.ts and tests/cluster/target-cluster-access.spec.ts
 * prove the same end to end.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '../../fixtures/base';
import { pairTag } from '../../src/checks/registry';
import { clusterCheckIds } from '../../src/cluster/registry';
import { CONNECTION_TAG, NOT_RUN_TAG, targetClusterAccess, targetClusterTags } from '../../src/cluster/target-access';
import { givenKubeconfig, kubeconfigChoice } from '../../src/k8s/kubeconfig-path';
import { authHeaders, loadTarget, resolveEnvUrls, TargetError, unsentAuthHeaders } from '../../src/targets/load';
import { runNotices } from '../../src/targets/run-notices';

const production = loadTarget('production');
const emptyHome = mkdtempSync(path.join(tmpdir(), 'socketproof-home-'));
const homeWithConfig = mkdtempSync(path.join(tmpdir(), 'socketproof-home-'));
mkdirSync(path.join(homeWithConfig, '.kube'));
writeFileSync(path.join(homeWithConfig, '.kube', 'config'), 'apiVersion: v1\nkind: Config\n');

test.describe('auth headers from optional variables', () => {
  test('a set variable is sent, under the lower-cased header name', () => {
    expect(authHeaders(production, { SOCKETPROOF_PRODUCTION_AUTHORIZATION: 'Bearer x' })).toEqual({ authorization: 'Bearer x' });
    expect(unsentAuthHeaders(production, { SOCKETPROOF_PRODUCTION_AUTHORIZATION: 'Bearer x' })).toEqual([]);
  });

  test('an unset or empty variable (an unset CI secret) sends no header and is named once', () => {
    for (const env of [{}, { SOCKETPROOF_PRODUCTION_AUTHORIZATION: '' }]) {
      expect(authHeaders(production, env)).toEqual({});
      expect(unsentAuthHeaders(production, env)).toEqual([{ header: 'Authorization', variable: 'SOCKETPROOF_PRODUCTION_AUTHORIZATION' }]);
    }
    const notices = runNotices(production, { SOCKETPROOF_PRODUCTION_URL: 'https://x.example', KUBECONFIG: '/k' }, emptyHome);
    expect(notices).toEqual(['socketproof: target production: header Authorization not sent: SOCKETPROOF_PRODUCTION_AUTHORIZATION is unset or empty']);
  });

  test('a hop URL variable stays required: missing or empty is one line naming it', () => {
    for (const env of [{}, { SOCKETPROOF_PRODUCTION_URL: '' }]) {
      expect(() => resolveEnvUrls(production, env)).toThrow(TargetError);
      expect(() => resolveEnvUrls(production, env)).toThrow('target production: hops.lb.url needs SOCKETPROOF_PRODUCTION_URL in the environment');
    }
  });
});

test.describe('the kubeconfig a connection uses', () => {
  test('explicit, then the first KUBECONFIG entry, then ~/.kube/config; an empty KUBECONFIG is unset', () => {
    expect(kubeconfigChoice('/a', { KUBECONFIG: '/b' }, emptyHome)).toEqual({ file: '/a', from: 'explicit' });
    expect(kubeconfigChoice(undefined, { KUBECONFIG: `:/b${path.delimiter}/c` }, emptyHome)).toEqual({ file: '/b', from: 'KUBECONFIG' });
    expect(kubeconfigChoice(undefined, { KUBECONFIG: '' }, emptyHome)).toEqual({ file: path.join(emptyHome, '.kube/config'), from: 'default' });
  });

  test('not given = no explicit path, no KUBECONFIG and no default file; a named file is given even if missing', () => {
    expect(givenKubeconfig(undefined, {}, emptyHome)).toBeUndefined();
    expect(givenKubeconfig(undefined, {}, homeWithConfig)?.from).toBe('default');
    expect(givenKubeconfig(undefined, { KUBECONFIG: '/does/not/exist' }, emptyHome)?.file).toBe('/does/not/exist');
  });
});

test.describe("a target's own cluster", () => {
  test('no kubeconfig given: not run, with the reason and how to enable; one entry in the project', () => {
    const access = targetClusterAccess(production, {}, emptyHome);
    expect(access).toMatchObject({ state: 'not-given', required: false });
    const message = access.state === 'not-given' ? access.message : '';
    expect(message).toContain('target production: cluster checks not run: no kubeconfig given');
    expect(message).toContain(path.join(emptyHome, '.kube/config'));
    expect(message).toContain('context "gke_theia-prod_europe-west1_theia"');
    expect(message).toContain('PRODUCTION_KUBECONFIG');
    expect(message).not.toContain('\n');
    expect(targetClusterTags(production, {}, emptyHome)).toEqual([NOT_RUN_TAG]);
    expect(runNotices(production, { SOCKETPROOF_PRODUCTION_AUTHORIZATION: 'x' }, emptyHome)).toEqual([`socketproof: ${message}`]);
  });

  test('SOCKETPROOF_REQUIRE_CLUSTER=1 turns the same situation into a failure', () => {
    const access = targetClusterAccess(production, { SOCKETPROOF_REQUIRE_CLUSTER: '1' }, emptyHome);
    expect(access).toMatchObject({ state: 'not-given', required: true });
    expect(access.state === 'not-given' && access.message).toContain('cluster checks required (SOCKETPROOF_REQUIRE_CLUSTER=1) but no kubeconfig given');
    const notices = runNotices(production, { SOCKETPROOF_PRODUCTION_AUTHORIZATION: 'x', SOCKETPROOF_REQUIRE_CLUSTER: '1' }, emptyHome);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/; the run fails$/);
  });

  test('a kubeconfig given (KUBECONFIG or the default file): the connection test and every cluster check', () => {
    for (const [env, home] of [[{ KUBECONFIG: '/k' }, emptyHome], [{}, homeWithConfig]] as const) {
      expect(targetClusterAccess(production, env, home).state).toBe('given');
      expect(targetClusterTags(production, env, home)).toEqual([CONNECTION_TAG, ...clusterCheckIds.map((id) => pairTag(id, 'cluster'))]);
    }
  });

  test('a target without a cluster of its own has no such tests and no notice', () => {
    const local = loadTarget('local');
    expect(targetClusterAccess(local, {}, emptyHome)).toEqual({ state: 'none' });
    expect(targetClusterTags(local, {}, emptyHome)).toEqual([]);
    expect(runNotices(local, {}, emptyHome)).toEqual([]);
  });
});
