/**
 * A user's own nginx config is checked before anything starts: unreadable, or refused by `nginx -t` once its ports
 * and files are moved to loopback, is one line naming the file and nginx's own reason (exit 2 in the runner).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NGINX_BINARY, nginxArgs, rewriteUserPodConfig } from './nginx-config';
import { LbConfigError, lbWiring, rewriteUserLbConfig } from './nginx-lb-user';

/** nginx's first [emerg] line, without the `nginx: ` prefix. */
function reasonOf(stderr: string): string {
  const line = stderr.split('\n').find((l) => /\[(emerg|alert|crit)\]/.test(l)) ?? stderr.split('\n')[0] ?? stderr;
  return line.replace(/^nginx: /, '').trim();
}

function nginxTestReason(file: string, dir: string): string | undefined {
  // Absolute: nginx resolves a relative -c against the prefix (-p), where the user's file is not.
  const absolute = resolve(file);
  try {
    execFileSync(NGINX_BINARY, ['-t', '-q', '-p', dir, '-c', absolute, '-e', join(dir, 'own-error.log')], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return reasonOf(String((error as { stderr?: Buffer }).stderr ?? error)).replaceAll(absolute, file);
  }
}

/**
 * `nginx -t` on the loopback copy `rewrite` makes of the user's file (in a scratch prefix, ports that nothing uses:
 * `nginx -t` binds nothing, it only parses and opens the files it names). `explain` turns nginx's reason into the
 * line quoted to the user; undefined when nginx accepts the copy.
 */
function refusedCopy(
  file: string,
  text: string,
  rewrite: (text: string, dir: string) => string,
  explain: (copyReason: string, dir: string) => string,
): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'socketproof-conf-'));
  try {
    const conf = join(dir, 'nginx.conf');
    writeFileSync(conf, rewrite(text, dir));
    execFileSync(NGINX_BINARY, nginxArgs(dir, conf, true), { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    const copy = reasonOf(String((error as { stderr?: Buffer }).stderr ?? error)).replaceAll(join(dir, 'nginx.conf'), file);
    return `${file}: nginx -t refuses it: ${explain(copy, dir)}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readConfig(file: string): string | { problem: string } {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return { problem: `${file}: cannot read the nginx config` };
  }
}

/** Undefined when the config is usable, else the one-line reason. */
export function userPodConfigProblem(file: string): string | undefined {
  const text = readConfig(file);
  if (typeof text !== 'string') return text.problem;
  return refusedCopy(
    file,
    text,
    (t, dir) => rewriteUserPodConfig(t, { listenPort: 1, theiaPort: 1, prefix: dir }),
    (copy, dir) => {
      // The rewritten copy has extra lines (pid, logs, temp paths): nginx's reason on the user's own file carries the
      // user's line numbers, so that one is quoted when it names the same kind of problem.
      const own = nginxTestReason(file, dir);
      return own && own.split(' in ')[0] === copy.split(' in ')[0] ? own : copy;
    },
  );
}

/**
 * The same for a user's own load-balancer config: `nginx -t` on the loopback copy first (nginx's own reason comes
 * before ours, as it would in production), then whether it can be wired to the pods (its upstream servers). The
 * copy keeps the user's line numbers, so nginx's reason is quoted with the user's file and line as they are.
 */
export function userLbConfigProblem(file: string): string | undefined {
  const text = readConfig(file);
  if (typeof text !== 'string') return text.problem;
  const refused = refusedCopy(
    file,
    text,
    (t, dir) => rewriteUserLbConfig(t, { listenPort: 1, backendPorts: [], prefix: dir }, { unwired: true }),
    (copy) => copy,
  );
  if (refused) return refused;
  try {
    lbWiring(text);
    return undefined;
  } catch (error) {
    if (!(error instanceof LbConfigError)) throw error;
    return `${file}${error.line === undefined ? '' : `:${error.line}`}: ${error.reason}`;
  }
}
