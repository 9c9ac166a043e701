/**
 * A user's own nginx config is checked before anything starts: unreadable, or refused by `nginx -t` once its ports
 * and files are moved to loopback, is one line naming the file and nginx's own reason (exit 2 in the runner).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NGINX_BINARY, nginxArgs, rewriteUserPodConfig } from './nginx-config';
import { LbConfigError, lbWiring, rewriteUserLbConfig } from './nginx-lb-user';

/** nginx's first [emerg] line, without the `nginx: ` prefix. */
function reasonOf(stderr: string): string {
  const line = stderr.split('\n').find((l) => /\[(emerg|alert|crit)\]/.test(l)) ?? stderr.split('\n')[0] ?? stderr;
  return line.replace(/^nginx: /, '').trim();
}

function nginxTestReason(file: string, dir: string): string | undefined {
  try {
    execFileSync(NGINX_BINARY, ['-t', '-q', '-p', dir, '-c', file, '-e', join(dir, 'own-error.log')], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return reasonOf(String((error as { stderr?: Buffer }).stderr ?? error));
  }
}

/** Undefined when the config is usable, else the one-line reason. */
export function userPodConfigProblem(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return `${file}: cannot read the nginx config`;
  }
  const dir = mkdtempSync(join(tmpdir(), 'socketproof-conf-'));
  try {
    const conf = join(dir, 'nginx.conf');
    // Ports that nothing uses: `nginx -t` binds nothing, it only parses and opens the files it names.
    writeFileSync(conf, rewriteUserPodConfig(text, { listenPort: 1, theiaPort: 1, prefix: dir }));
    execFileSync(NGINX_BINARY, nginxArgs(dir, conf, true), { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    // The rewritten copy has extra lines (pid, logs, temp paths): nginx's reason on the user's own file carries the
    // user's line numbers, so that one is quoted when it names the same kind of problem.
    const own = nginxTestReason(file, dir);
    const copy = reasonOf(String((error as { stderr?: Buffer }).stderr ?? error)).replaceAll(join(dir, 'nginx.conf'), file);
    return `${file}: nginx -t refuses it: ${own && own.split(' in ')[0] === copy.split(' in ')[0] ? own : copy}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The same for a user's own load-balancer config: `nginx -t` on the loopback copy first (nginx's own reason comes
 * before ours, as it would in production), then whether it can be wired to the pods (its upstream servers). The
 * copy keeps the user's line numbers, so nginx's reason is quoted with the user's file and line as they are.
 */
export function userLbConfigProblem(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return `${file}: cannot read the nginx config`;
  }
  const dir = mkdtempSync(join(tmpdir(), 'socketproof-conf-'));
  try {
    const conf = join(dir, 'nginx.conf');
    // Ports that nothing uses: `nginx -t` binds nothing, it only parses and opens the files it names.
    writeFileSync(conf, rewriteUserLbConfig(text, { listenPort: 1, backendPorts: [], prefix: dir }, { unwired: true }));
    execFileSync(NGINX_BINARY, nginxArgs(dir, conf, true), { stdio: 'pipe' });
  } catch (error) {
    return `${file}: nginx -t refuses it: ${reasonOf(String((error as { stderr?: Buffer }).stderr ?? error)).replaceAll(join(dir, 'nginx.conf'), file)}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  try {
    lbWiring(text);
    return undefined;
  } catch (error) {
    if (!(error instanceof LbConfigError)) throw error;
    return `${file}${error.line === undefined ? '' : `:${error.line}`}: ${error.reason}`;
  }
}
