/**
 * Bad input, through the script: each case ends with ONE line on stderr that says what is wrong, exit code 2,
 * and not a single write (every resourceVersion of the namespace as before, no backup, no journal). Covers a
 * broken fix file and a broken kubeconfig, an unknown fix, an unreachable API server (a closed port), a wrong
 * context, a wrong namespace, a missing CRD (a control plane of its own, without it), a field another manager
 * owns, a user without permission, a mistyped option.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { labelTest } from '../../fixtures';
import { applyObjects } from '../../src/k8s/apply';
import { connect, getObject } from '../../src/k8s/client';
import { startControlPlane } from '../../src/k8s/control-plane';
import { loadManifestSet } from '../../src/k8s/manifests';
import { errorLine } from './fix-cli';
import { expect, type FixHarness, fixTest as test, versionsOf } from './fix-harness';

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

interface Case {
  name: string;
  fix?: string;
  /** Flags replacing or adding to the harness's (--kubeconfig admin --namespace <staged>). */
  flags: (fx: FixHarness) => Promise<string[]> | string[];
  error: RegExp;
}

const cases: Case[] = [
  {
    name: 'invalid YAML in the fix file',
    flags: (fx) => {
      const dir = path.join(fx.workDir, 'fixes');
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'backendconfig-timeout.yaml'), 'id: backendconfig-timeout\nobjects: [\n  - kind: BackendConfig\n');
      return ['--fixes-dir', dir];
    },
    error: /^apply-fix: .*backendconfig-timeout\.yaml: not valid YAML: /,
  },
  {
    name: 'invalid YAML in the kubeconfig',
    flags: (fx) => {
      writeFileSync(path.join(fx.workDir, 'broken.kubeconfig'), 'apiVersion: v1\nclusters: [\n');
      return ['--kubeconfig', path.join(fx.workDir, 'broken.kubeconfig')];
    },
    error: /^apply-fix: .*broken\.kubeconfig: not a valid kubeconfig/,
  },
  { name: 'unknown fix id', fix: 'backendconfig-timeuot', flags: () => [], error: /^apply-fix: unknown fix "backendconfig-timeuot": known fixes are .*backendconfig-timeout/ },
  {
    name: 'unreachable API server (a closed port)',
    flags: async (fx) => {
      const kc = parse(readFileSync(fx.adminKubeconfig, 'utf8')) as { clusters: { cluster: { server: string } }[] };
      for (const c of kc.clusters) c.cluster.server = `https://127.0.0.1:${await closedPort()}`;
      writeFileSync(path.join(fx.workDir, 'closed.kubeconfig'), stringify(kc));
      return ['--kubeconfig', path.join(fx.workDir, 'closed.kubeconfig')];
    },
    error: /^apply-fix: connect to context "socketproof-local-admin": the API server https:\/\/127\.0\.0\.1:\d+ is unreachable \(.*ECONNREFUSED/,
  },
  { name: 'wrong context', flags: () => ['--context', 'gke_prod_europe-west1_theia'], error: /^apply-fix: context "gke_prod_europe-west1_theia" is not in .*: known contexts are socketproof-local-admin$/ },
  { name: 'wrong namespace', flags: () => ['--namespace', 'theia-typo'], error: /^apply-fix: namespace "theia-typo" does not exist on https:\/\/127\.0\.0\.1:\d+ \(context "socketproof-local-admin"\)$/ },
  {
    name: 'a field another field manager owns (without --force-conflicts)',
    fix: 'cdn-off',
    flags: () => [],
    error: /^apply-fix: conflict on BackendConfig sp-[\w-]+\/theia-backendconfig: field manager "socketproof-manifests" owns \.spec\.cdn\.enabled with another value; re-run with --force-conflicts/,
  },
  {
    name: 'no permission to patch (the restricted user)',
    flags: (fx) => ['--kubeconfig', fx.restrictedKubeconfig],
    error: /^apply-fix: user "socketproof-viewer" may not patch backendconfigs\.cloud\.google\.com in namespace sp-[\w-]+ \(SelfSubjectAccessReview, context "socketproof-local-restricted"\): nothing was changed$/,
  },
  { name: 'a mistyped option (--dryrun)', flags: () => ['--dryrun'], error: /^apply-fix: unknown option --dryrun \(usage: apply-fix / },
];

test.describe('apply-fix refuses bad input: one line, exit 2, nothing changed', () => {
  test.describe.configure({ timeout: 60_000 });

  for (const c of cases) {
    test(c.name, { tag: ['@cluster', '@selftest'] }, async ({ fx }) => {
      await labelTest('selftest', 'apply-fix bad input', c.name);
      const { namespace } = await fx.stage({ set: 'broken' });
      const before = await fx.snapshot(namespace);
      const r = await fx.applyFix(c.fix ?? 'backendconfig-timeout', namespace, await c.flags(fx));
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(errorLine(r)).toMatch(c.error);
      expect(versionsOf(await fx.snapshot(namespace)), 'not one write').toEqual(versionsOf(before));
      expect(fx.files(fx.backupDir)).toEqual([]);
      expect(fx.files(fx.journalDir)).toEqual([]);
    });
  }

  test('a cluster without the BackendConfig CRD', { tag: ['@cluster', '@selftest'] }, async ({ fx }) => {
    await labelTest('selftest', 'apply-fix bad input', 'missing CRD');
    test.setTimeout(150_000);
    // The worker's control plane has the CRD (cluster-wide): this case needs one of its own, like a non-GKE cluster.
    const cp = await startControlPlane();
    try {
      const admin = await connect({ kubeconfig: cp.adminKubeconfig });
      await applyObjects(admin, loadManifestSet('broken').filter((o) => o.kind !== 'BackendConfig'));
      const service = { apiVersion: 'v1', kind: 'Service', name: 'theia', namespace: 'theia' };
      const before = (await getObject(admin, service))?.metadata.resourceVersion;
      const r = await fx.run('apply-fix', ['backendconfig-timeout', '--kubeconfig', cp.adminKubeconfig, '--backup-dir', fx.backupDir, '--journal-dir', fx.journalDir]);
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(errorLine(r)).toMatch(/^apply-fix: the API server https:\/\/127\.0\.0\.1:\d+ does not serve BackendConfig \(cloud\.google\.com\/v1\): its CRD \(backendconfigs\.cloud\.google\.com\) is not installed/);
      expect((await getObject(admin, service))?.metadata.resourceVersion).toBe(before);
      expect(fx.files(fx.backupDir)).toEqual([]);
    } finally {
      await cp.stop();
    }
  });
});
