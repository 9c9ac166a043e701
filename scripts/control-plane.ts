/**
 * A local Kubernetes control plane (kube-apiserver + etcd), see docs/control-plane.md.
 *
 *   npx tsx scripts/control-plane.ts build [--force]   build the binaries into .cache/control-plane/bin/
 *   npx tsx scripts/control-plane.ts start             start one on loopback, print its kubeconfigs
 *   npx tsx scripts/control-plane.ts status            list started ones and whether they answer /readyz
 *   npx tsx scripts/control-plane.ts stop [id]         stop all started ones (or one), delete their data
 *
 * Everything is in src/k8s/control-plane.ts; this is its command line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  BUILD_COMMAND,
  buildControlPlane,
  controlPlaneBinaries,
  controlPlanePaths,
  KUBE_VERSION,
  listControlPlanes,
  pidAlive,
  readyz,
  startControlPlane,
  stopControlPlaneState,
} from '../src/k8s/control-plane';

const stamp = () => new Date().toISOString().slice(11, 19);
const say = (msg: string) => console.log(`[control-plane ${stamp()}] ${msg}`);

async function build(force: boolean) {
  if (process.env.KUBEBUILDER_ASSETS) {
    say(`KUBEBUILDER_ASSETS=${process.env.KUBEBUILDER_ASSETS} is set: start uses the binaries there; building anyway`);
  }
  const r = await buildControlPlane(say, { force });
  say(
    r.skipped
      ? `no build needed (${r.ms} ms): ${r.apiserver}, ${r.etcd}`
      : `build time ${(r.ms / 1000).toFixed(1)} s: ${r.apiserver}, ${r.etcd}`,
  );
}

async function start() {
  const bins = controlPlaneBinaries();
  if (!bins) {
    say(`kube-apiserver/etcd are not built: run \`${BUILD_COMMAND}\` first (or set KUBEBUILDER_ASSETS)`);
    process.exit(2);
  }
  say(`starting kube-apiserver ${KUBE_VERSION} + etcd from ${path.dirname(bins.apiserver)}`);
  const cp = await startControlPlane({ persistent: true, onProgress: say });
  say(`start time ${(cp.startMs / 1000).toFixed(1)} s`);
  console.log(`
  id:                    ${cp.id}
  server:                ${cp.server}
  pids:                  ${cp.pids.join(' ')} (etcd, kube-apiserver)
  admin kubeconfig:      ${cp.adminKubeconfig}   (context socketproof-local-admin, group system:masters)
  restricted kubeconfig: ${cp.restrictedKubeconfig}   (context socketproof-local-restricted, ClusterRole view)
  logs:                  ${cp.dir}/etcd.log, ${cp.dir}/kube-apiserver.log

  export KUBECONFIG=${cp.adminKubeconfig}
  stop with: npx tsx scripts/control-plane.ts stop ${cp.id}`);
}

async function stop(id?: string) {
  const all = await listControlPlanes();
  const chosen = id ? all.filter((s) => s.id === id) : all;
  if (id && chosen.length === 0) {
    say(`no control plane ${id} under ${controlPlanePaths().run}`);
    process.exit(1);
  }
  if (chosen.length === 0) say('nothing to stop');
  for (const s of chosen) {
    const t0 = Date.now();
    await stopControlPlaneState(s);
    const left = s.processes.filter((p) => pidAlive(p.pid));
    if (left.length) throw new Error(`still running after stop: ${left.map((p) => `${p.name} ${p.pid}`).join(', ')}`);
    say(`stopped ${s.id} (pids ${s.processes.map((p) => p.pid).join(' ')}) and deleted ${s.dir} in ${Date.now() - t0} ms`);
  }
}

async function status() {
  const bins = controlPlaneBinaries();
  say(bins ? `binaries: ${bins.apiserver}, ${bins.etcd}` : `binaries: not built (run \`${BUILD_COMMAND}\`)`);
  const all = await listControlPlanes();
  if (all.length === 0) say('no control plane started');
  for (const s of all) {
    const procs = s.processes.map((p) => `${p.name} ${p.pid} ${pidAlive(p.pid) ? 'running' : 'GONE'}`).join(', ');
    let ready = 'no answer';
    try {
      const kc = parseYaml(readFileSync(s.adminKubeconfig, 'utf8')) as {
        clusters: { cluster: { 'certificate-authority-data': string } }[];
      };
      const ca = Buffer.from(kc.clusters[0]?.cluster['certificate-authority-data'] ?? '', 'base64').toString();
      const r = await readyz(s.server, ca);
      ready = `${r.status} ${r.body.trim()}`;
    } catch (e) {
      ready = `no answer (${(e as Error).message})`;
    }
    console.log(`  ${s.id}  ${s.server}  started ${s.startedAt} in ${s.startMs} ms  [${procs}]  /readyz: ${ready}
    admin: ${s.adminKubeconfig}
    restricted: ${s.restrictedKubeconfig}`);
  }
}

const [cmd, arg] = process.argv.slice(2);
try {
  switch (cmd) {
    case 'build':
      await build(arg === '--force');
      break;
    case 'start':
      await start();
      break;
    case 'stop':
      await stop(arg);
      break;
    case 'status':
      await status();
      break;
    default:
      console.error('usage: npx tsx scripts/control-plane.ts <build [--force]|start|stop [id]|status>');
      process.exit(2);
  }
} catch (e) {
  console.error(`[control-plane] ${(e as Error).message}`);
  process.exit(1);
}
