/**
 * Sizing the embedded topology for N sessions, and refusing early, in one line, when the host cannot hold them.
 * A proxied WebSocket holds two connections in each nginx it crosses (client side and upstream), and every
 * connection is a file descriptor; nginx's `worker_connections` counts both sides. The LB carries every session,
 * a pod in the worst case (all clients hashed onto it) every session too. Polling requests of sessions still
 * opening add short-lived connections on top: the margin.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { NginxCapacity } from '../topology/nginx-common';

/** Short-lived polling connections of sessions still opening, health probes, diagnosis requests. */
const MARGIN = 512;
/** A worker's own files besides connections: logs, temp files, the listening socket. */
const OWN_FILES = 256;

export function nginxCapacity(sessions: number, workers = 1): NginxCapacity {
  // Connections are not spread evenly over workers (one may accept most of a burst): each is sized for all.
  return { workers, connections: 2 * sessions + MARGIN };
}

/** Open files one process of the run needs at most: an nginx worker (its connections + 256 for logs and temp files). */
export function filesNeeded(sessions: number): number {
  return nginxCapacity(sessions).connections + OWN_FILES;
}

/** The hard open-file limit processes started from here inherit (the soft one may be raised up to it). */
export function hardFileLimit(): number | undefined {
  const out = spawnSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' });
  const text = out.stdout.trim();
  if (text === 'unlimited') return Number.POSITIVE_INFINITY;
  const n = Number(text);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** Local ports a client may use toward one address and port (the LB, or one pod behind it). */
export function ephemeralPorts(): number | undefined {
  try {
    const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return lo !== undefined && hi !== undefined ? hi - lo + 1 : undefined;
  } catch {
    return undefined;
  }
}

function maxFor(files: number): string {
  const most = Math.floor((files - OWN_FILES - MARGIN) / 2);
  return most > 0 ? `lower --sessions to ${most} or raise the limit` : 'raise the limit';
}

/** Why this host cannot run N sessions on loopback, or undefined. */
export function hostLimitProblem(sessions: number, limits = { files: hardFileLimit(), ports: ephemeralPorts() }): string | undefined {
  const files = filesNeeded(sessions);
  if (limits.files !== undefined && limits.files < files) {
    return `${sessions} sessions need ${files} open files per nginx worker (2 per session + margin), the host's hard limit is ${limits.files} (ulimit -Hn): ${maxFor(limits.files)}`;
  }
  // The LB's nginx opens every session's upstream connection from 127.0.0.1 toward one pod port in the worst case.
  const ports = limits.ports;
  if (ports !== undefined && ports < sessions + MARGIN) {
    return `${sessions} sessions need ${sessions + MARGIN} local ports toward one pod, net.ipv4.ip_local_port_range offers ${ports}: lower --sessions or widen the range`;
  }
  return undefined;
}
