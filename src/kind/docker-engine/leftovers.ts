/**
 * What a stopped private engine could leave on the host, listed so a spec can prove there is none: its dockerd and
 * containerd processes, mounts under its data-root and exec-root (overlays, netns, shm), and network interfaces
 * (the bridges and veths of its networks and containers).
 */
import { readdirSync } from 'node:fs';
import { pidsMatching } from '../../os/process';
import { engineAlive, readEngineState } from './dockerd';
import { type EnginePaths, mountsUnder } from './dockerd-files';

export interface Leftovers {
  dockerd: number | null;
  processes: number[];
  mounts: string[];
  interfaces: string[];
}

/** `bridges`: the host interfaces of the engine's networks (br-<12 hex of the network id>), taken before the stop. */
export function engineLeftovers(p: EnginePaths, bridges: string[]): Leftovers {
  const s = readEngineState(p);
  return {
    dockerd: engineAlive(p, s) ? s.pid : null,
    processes: [...new Set([...pidsMatching(p.execRoot), ...pidsMatching(`--data-root=${p.dataRoot}`)])],
    mounts: mountsUnder([p.execRoot, p.dataRoot]),
    interfaces: hostInterfaces().filter((i) => bridges.includes(i)),
  };
}

export function hostInterfaces(): string[] {
  return readdirSync('/sys/class/net').sort();
}
