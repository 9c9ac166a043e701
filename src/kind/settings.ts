/**
 * The kind target's settings in one place: the cluster's name (derived from the checkout, so it cannot collide
 * with a user's own clusters or another checkout's), the node image (a setting: kind's `--image`), where the kind
 * binary and the kubeconfig live, and the host ports, read from kind/cluster.yaml so that file stays the truth.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { projectRoot } from '../paths';

export const KIND_VERSION = 'v0.33.0';
export const BUILD_KIND_COMMAND = 'npm run kind:build';

/**
 * Kubernetes 1.34, the newest minor whose kubelet still runs on cgroup v1 hosts (1.35+ refuse it by default) and the
 * minor of the project's local kube-apiserver. Digest as published with kind v0.30.0 (not verifiable here: no
 * registry); kind v0.33.0's own default (kindest/node:v1.37.0) needs cgroup v2.
 * Override: SOCKETPROOF_KIND_NODE_IMAGE, or `npm run kind:up -- --image <image>`.
 */
export const DEFAULT_NODE_IMAGE =
  'kindest/node:v1.34.0@sha256:7416a61b42b1662ca6ca89f02028ac133a309a2a30ba309614e8ec94d976dc5a';

export const clusterConfigFile = path.join(projectRoot, 'kind', 'cluster.yaml');

export function kindBinaryPath(root = projectRoot): string {
  return path.join(root, '.cache', 'bin', 'kind');
}

/** `socketproof-<8 hex of the checkout path>`: stable for one checkout, distinct across checkouts and users' clusters. */
export function clusterName(root = projectRoot, env = process.env): string {
  if (env.SOCKETPROOF_KIND_CLUSTER) return env.SOCKETPROOF_KIND_CLUSTER;
  return `socketproof-${createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 8)}`;
}

export function nodeImage(env = process.env): string {
  return env.SOCKETPROOF_KIND_NODE_IMAGE || DEFAULT_NODE_IMAGE;
}

/**
 * kind writes the cluster's kubeconfig here, never into the user's ~/.kube/config. One per checkout (as the
 * cluster is), at the path targets/kind.yaml names for the cluster checks.
 */
export function kubeconfigPath(root = projectRoot): string {
  return path.join(root, '.cache', 'kind', 'kubeconfig');
}

/** Records whether this checkout created the cluster (teardown deletes only what it created). */
export function statePath(name: string, root = projectRoot): string {
  return path.join(root, '.cache', 'kind', `${name}.json`);
}

export interface PortMapping {
  containerPort: number;
  hostPort: number;
  listenAddress: string;
}

interface ClusterConfig {
  kind: string;
  apiVersion: string;
  nodes?: { role: string; extraPortMappings?: PortMapping[] }[];
}

export function readClusterConfig(file = clusterConfigFile): ClusterConfig {
  return parse(readFileSync(file, 'utf8')) as ClusterConfig;
}

/** The host → node port mappings of kind/cluster.yaml (control-plane node). */
export function portMappings(file = clusterConfigFile): PortMapping[] {
  return readClusterConfig(file).nodes?.flatMap((n) => n.extraPortMappings ?? []) ?? [];
}

/** The loopback URL on which a NodePort answers through kind's port mapping. */
export function hostUrlForNodePort(nodePort: number, file = clusterConfigFile): string {
  const m = portMappings(file).find((p) => p.containerPort === nodePort);
  if (!m) throw new Error(`kind/cluster.yaml maps no host port to node port ${nodePort}`);
  return `http://${m.listenAddress}:${m.hostPort}`;
}
