/**
 * What building the Theia app needs on the machine. keytar and drivelist are compiled here (their prebuilt binaries
 * come from GitHub releases, which are not reachable), so a C++ toolchain, Node's headers and libsecret are needed;
 * everything else arrives from npm. All missing pieces are named in ONE line, each with the Debian package that
 * brings it, so a user fixes them in one go.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, realpathSync } from 'node:fs';
import path from 'node:path';

export class TheiaPrerequisiteError extends Error {}

export interface Toolchain {
  /** Prefix of the running Node, whose `include/node` holds the headers node-gyp compiles against (--nodedir). */
  nodeDir: string;
  /** npm's bundled node-gyp (node-gyp itself would try to download headers without --nodedir). */
  nodeGyp: string;
}

function onPath(bin: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => {
    try {
      accessSync(path.join(dir, bin), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function pkgConfigHas(module: string): boolean {
  try {
    execFileSync('pkg-config', ['--exists', module], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** npm's own node-gyp: next to the npm CLI that runs us, or next to the `npm` on PATH. */
function findNodeGyp(): string | undefined {
  const candidates: string[] = [];
  const npmCli = process.env.npm_execpath;
  if (npmCli) candidates.push(path.resolve(path.dirname(npmCli), '../node_modules/node-gyp/bin/node-gyp.js'));
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const npm = path.join(dir, 'npm');
    if (!existsSync(npm)) continue;
    candidates.push(path.resolve(path.dirname(realpathSync(npm)), '../node_modules/node-gyp/bin/node-gyp.js'));
  }
  return candidates.find((c) => existsSync(c));
}

export function checkTheiaPrerequisites(): Toolchain {
  const nodeDir = path.resolve(path.dirname(process.execPath), '..');
  const nodeGyp = findNodeGyp();
  const missing: string[] = [];
  if (!existsSync(path.join(nodeDir, 'include/node/node.h'))) missing.push(`Node headers in ${nodeDir}/include/node (Debian: libnode-dev)`);
  if (!nodeGyp) missing.push("npm's bundled node-gyp (reinstall npm)");
  if (!onPath('c++') && !onPath('g++')) missing.push('a C++ compiler (Debian: g++)');
  if (!onPath('make')) missing.push('make (Debian: make)');
  if (!onPath('python3')) missing.push('python3 (Debian: python3)');
  if (!onPath('pkg-config')) missing.push('pkg-config (Debian: pkg-config)');
  else if (!pkgConfigHas('libsecret-1')) missing.push('libsecret-1 for keytar (Debian: libsecret-1-dev)');
  if (missing.length > 0 || !nodeGyp) {
    throw new TheiaPrerequisiteError(`theia:build: missing prerequisite${missing.length > 1 ? 's' : ''}: ${missing.join('; ')}`);
  }
  return { nodeDir, nodeGyp };
}
