/**
 * Browser terminal: Chromium opens the app through the hop users reach, the app's Socket.IO connection upgrades
 * to websocket, and typing `<command> <nonce>` in the terminal brings the nonce back. The nonce is read from the
 * WebSocket frames, so it works where the terminal is drawn on a canvas (real Theia's WebGL renderer).
 */
import { randomBytes } from 'node:crypto';
import type { Page, Response, WebSocket } from '@playwright/test';
import { joinUrl } from '../probes/engineio';
import type { Exchange } from '../probes/http';
import type { Verdict } from '../verdict';
import { openTerminalInput, typeCommand, until } from './browser-drivers';
import { browserDeadlineMs } from './budget';
import { diagnoseUpgradeFailure } from './diagnose-upgrade';
import { type CheckContext, newProbe } from './context';
import { diagnoseSocketFailure, servedFromCache } from './diagnose';
import { VerdictBuilder, exchangesEvidence, textEvidence } from './evidence';

export const browserTerminalCheckName = 'browser-terminal';

interface SocketWatch {
  sockets: { url: string; upgraded: boolean; closed: boolean; frames: string[]; openedAt: number; closedAt?: number }[];
  failures: Exchange[];
  pollingOk: number;
  /** Socket.IO responses a cache answered (a CDN in front of the app): never legitimate. */
  cached: string[];
}

function frameText(payload: string | Buffer): string {
  return typeof payload === 'string' ? payload : payload.toString('utf8');
}

function watchSockets(page: Page, socketPath: string): SocketWatch {
  const watch: SocketWatch = { sockets: [], failures: [], pollingOk: 0, cached: [] };
  page.on('websocket', (ws: WebSocket) => {
    if (!new URL(ws.url()).pathname.startsWith(socketPath.replace(/\/$/, ''))) return;
    const entry: SocketWatch['sockets'][number] = { url: ws.url(), upgraded: false, closed: false, frames: [], openedAt: Date.now() };
    watch.sockets.push(entry);
    ws.on('framesent', (f) => {
      // engine.io-client sends "5" (upgrade) once the probe round trip succeeded: from then on it is websocket.
      if (frameText(f.payload) === '5') entry.upgraded = true;
      entry.frames.push(`> ${frameText(f.payload).slice(0, 200)}`);
    });
    ws.on('framereceived', (f) => entry.frames.push(`< ${frameText(f.payload).slice(0, 400)}`));
    ws.on('close', () => {
      entry.closed = true;
      entry.closedAt = Date.now();
    });
  });
  page.on('response', async (res: Response) => {
    if (!new URL(res.url()).pathname.startsWith(socketPath)) return;
    const cacheHint = servedFromCache({ responseHeaders: res.headers() } as Exchange);
    if (cacheHint) watch.cached.push(`${res.request().method()} ${new URL(res.url()).search} → ${res.status()} (${cacheHint})`);
    if (res.status() < 400) {
      watch.pollingOk++;
      return;
    }
    watch.failures.push({
      method: res.request().method(),
      url: res.url(),
      requestHeaders: {},
      status: res.status(),
      responseHeaders: res.headers(),
      body: await res.text().catch(() => ''),
      ms: 0,
    });
  });
  return watch;
}

/** The page's websockets that upgraded and were then closed under it (we never close one), with their lifetimes. */
function cutSockets(watch: SocketWatch): string | undefined {
  const cut = watch.sockets.filter((s) => s.upgraded && s.closedAt !== undefined);
  if (cut.length === 0) return undefined;
  const lived = cut.map((s) => (s.closedAt ?? 0) - s.openedAt).sort((a, b) => a - b);
  return `the page's websocket was closed ${cut.length} time(s) after upgrading, after ${lived[0]}–${lived.at(-1)} ms each: something on the path cuts its connections (a lifetime or idle timeout)`;
}

/** Any Socket.IO app (no terminal): its own connection, once on websocket, must stay up for a while. */
async function holdConnection(v: VerdictBuilder, watch: SocketWatch, deadlineMs: number): Promise<Verdict> {
  const holdMs = Math.min(5000, deadlineMs);
  const closed = await until(() => !watch.sockets.some((s) => s.upgraded && !s.closed), holdMs);
  if (closed) return v.fail('connection-lifetime-cut', `the page's Socket.IO websocket closed within ${holdMs} ms of upgrading`);
  return v.pass(`the page's own Socket.IO connection upgraded to websocket and stayed up ${holdMs} ms`);
}

export async function browserTerminalCheck(page: Page, ctx: CheckContext): Promise<Verdict> {
  const { target, hop } = ctx;
  const deadlineMs = browserDeadlineMs(target);
  const nonce = `sp-${randomBytes(4).toString('hex')}`;
  const command = `${target.browser.command} ${nonce}`;
  const v = new VerdictBuilder(
    browserTerminalCheckName,
    hop.name,
    target.app === 'socket.io'
      ? "the app page's own Socket.IO connection reaches websocket and stays up"
      : `the app page connects over websocket and a terminal answers "${target.browser.command} <nonce>" with the nonce`,
  );
  const watch = watchSockets(page, target.socketPath);
  const attachFrames = () =>
    v.attach(
      textEvidence(
        'browser websocket frames',
        watch.sockets.map((s) => `${s.url}${s.upgraded ? ' (upgraded)' : ''}\n${s.frames.join('\n')}`).join('\n\n') || 'no websocket opened',
      ),
    );
  try {
    const nav = await page.goto(joinUrl(hop.url, target.appPath)).catch((e: Error) => e);
    if (nav instanceof Error) return v.fail('target-unreachable', `the app page did not load: ${nav.message.split('\n')[0]}`);
    if (!nav?.ok()) return v.fail(nav?.status() === 404 ? 'wrong-path' : 'unexpected-response', `the app page answered ${nav?.status()}`);
    // Stop waiting as soon as the outcome is known: upgraded, or a websocket attempt that died before upgrading.
    const refusedUpgrade = () => watch.sockets.some((s) => s.closed && !s.upgraded);
    await until(() => watch.sockets.some((s) => s.upgraded && !s.closed) || refusedUpgrade() || watch.failures.length > 2, deadlineMs);
    const upgraded = watch.sockets.some((s) => s.upgraded && !s.closed);
    if (!upgraded) {
      if (watch.cached.length > 0) {
        return v.fail('cdn-caching', `the browser's Socket.IO requests were answered by a cache: ${watch.cached.slice(0, 3).join('; ')}`);
      }
      const failed = watch.failures[0];
      // The page's client keeps retrying: leave it before asking, so only the replay's requests reach the target.
      if (failed || watch.pollingOk > 0) await page.goto('about:blank').catch(() => undefined);
      if (failed) {
        v.attach(exchangesEvidence('failed Socket.IO requests in the browser', watch.failures));
        // Replay outside the browser to name the cause behind the status (cookie? origin? affinity?).
        const d = await diagnoseSocketFailure(newProbe(ctx, 0), target.connectionCookie, failed);
        return v.fail(d.cause, `the browser's Socket.IO requests failed (${watch.failures.length}); ${d.observed}`);
      }
      if (watch.pollingOk > 0) {
        // The browser cannot show why its upgrade died (a 400 to an upgrade is not a page response): ask it raw.
        const why = await diagnoseUpgradeFailure(ctx);
        const seen = refusedUpgrade()
          ? `the page talks Socket.IO over polling (${watch.pollingOk} requests); its websocket upgrade attempt was closed before upgrading`
          : `the page talks Socket.IO over polling (${watch.pollingOk} requests) but never upgraded to websocket within ${deadlineMs} ms`;
        return v.fail(why?.cause ?? 'upgrade-blocked', why ? `${seen}; ${why.observed}` : seen);
      }
      return v.fail('unexpected-response', `no Socket.IO traffic from the page within ${deadlineMs} ms`);
    }
    if (target.app === 'socket.io') return await holdConnection(v, watch, deadlineMs);
    const opened = await openTerminalInput(page, target, deadlineMs);
    if (typeof opened === 'string') {
      const cuts = cutSockets(watch);
      // A workbench that starts over its websocket (real Theia: seconds of RPCs) never finishes when the connection
      // keeps being cut after upgrading: the cuts, not the page, are the finding.
      if (cuts) return v.fail('connection-lifetime-cut', `${opened}; meanwhile ${cuts}`);
      return v.fail('unexpected-response', opened);
    }
    const notTyped = await typeCommand(page, target, opened, command);
    if (notTyped) return v.fail('unexpected-response', notTyped);
    const answered = await until(
      () => watch.sockets.some((s) => s.frames.some((f) => f.startsWith('<') && f.includes(`${nonce}\r\n`))),
      deadlineMs,
    );
    if (!answered) {
      const closed = watch.sockets.every((s) => s.closed);
      return v.fail(
        closed ? 'connection-lifetime-cut' : 'unexpected-response',
        `typed "${command}" but the nonce never came back${closed ? ': the websocket closed meanwhile' : ''}`,
      );
    }
    const notes = opened.notes.length > 0 ? ` (${opened.notes.join('; ')})` : '';
    return v.pass(`connected over websocket; "${command}" echoed ${nonce}${notes}`);
  } finally {
    attachFrames();
    const shot = await page.screenshot().catch(() => undefined);
    if (shot) v.attach({ name: 'terminal screenshot', contentType: 'image/png', body: shot });
  }
}
