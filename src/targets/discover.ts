/**
 * What a target file (the ad-hoc one above all) leaves to the app: whether it is Theia (`app: auto`) and which
 * protocol values it announces (`learn`). Decided once per run from harmless requests — the app page and one
 * handshake on the first hop — before any check; the checks then assert that every client on every hop sees the
 * same values. Nothing is learned from a failure: a handshake that fails leaves the declared values, and the
 * handshake check reports the failure with its diagnosis.
 */
import { EngineIoProbe } from '../probes/engineio';
import { headerValue } from '../probes/http';
import type { NetworkOptions } from '../probes/network';
import { theiaBrowser } from './load';
import type { Target } from './target';

/** Theia's connection-token cookie (1.74): every Theia response sets it. */
const THEIA_COOKIE = 'theia-connection-token';
/** Markers of Theia's frontend page (its preload overlay, its bundle). */
const THEIA_PAGE = /class="theia-preload"|theia-app-shell|bundle\.js.*theia|<title>[^<]*Theia/i;

export interface Discovery {
  target: Target;
  /** One line per decision, for the report: what was learned, and from what. */
  learned: string[];
}

export interface DiscoveryOptions extends NetworkOptions {
  headers?: Record<string, string>;
}

function asTheia(target: Target): Target {
  return {
    ...target,
    app: 'theia',
    connectionCookie: target.connectionCookie ?? THEIA_COOKIE,
    originHeader: 'fix-origin',
    expect: target.learn?.includes('namespace') ? { ...target.expect, namespace: '/services' } : target.expect,
    browser: { ...theiaBrowser, ...target.browser },
  };
}

function asPlainSocketIo(target: Target): Target {
  return {
    ...target,
    app: 'socket.io',
    originHeader: 'origin',
    expect: target.learn?.includes('namespace') ? { ...target.expect, namespace: '/' } : target.expect,
  };
}

export async function discoverTarget(target: Target, opts: DiscoveryOptions = {}): Promise<Discovery> {
  const hop = target.hops.find((h) => h.browser) ?? target.hops[0];
  if (!hop || (target.app !== 'auto' && !target.learn?.length)) return { target, learned: [] };
  const learned: string[] = [];
  const probe = (t: Target) => new EngineIoProbe(t, hop.url, { headers: opts.headers, ca: opts.ca, resolve: opts.resolve, proxy: opts.proxy });

  let resolved = target;
  if (target.app === 'auto') {
    const page = await probe(target).fetchAppPage();
    const cookies = [headerValue(page.responseHeaders, 'set-cookie') ?? ''].join(';');
    const byCookie = cookies.includes(`${THEIA_COOKIE}=`);
    const byPage = THEIA_PAGE.test(page.body);
    resolved = byCookie || byPage ? asTheia(target) : asPlainSocketIo(target);
    learned.push(
      byCookie || byPage
        ? `app: theia (${byCookie ? `the page sets ${THEIA_COOKIE}` : "the page is Theia's frontend"}): connection cookie, fix-origin, /services and a terminal apply`
        : `app: socket.io (${page.error ? `the page did not load: ${page.error}` : `no ${THEIA_COOKIE} cookie, no Theia page at ${target.appPath}`}): the browser check asserts the page's own connection`,
    );
  } else if (target.learn?.includes('namespace')) {
    resolved = target.app === 'theia' ? asTheia(target) : asPlainSocketIo(target);
  }
  if (target.learn?.includes('namespace')) learned.push(`namespace: ${resolved.expect.namespace} (from the app's kind)`);

  const values = (target.learn ?? []).filter((k) => k !== 'namespace') as ('pingInterval' | 'pingTimeout' | 'maxPayload')[];
  if (values.length > 0) {
    const p = probe(resolved);
    await p.fetchAppPage();
    const hs = await p.handshake();
    if (hs.ok) {
      const expect = { ...resolved.expect };
      for (const k of values) {
        expect[k] = hs.open[k];
        learned.push(`${k}: ${hs.open[k]} (from the first handshake via ${hop.name}; every client and hop must announce the same)`);
      }
      resolved = { ...resolved, expect };
    } else {
      learned.push(
        `${values.join(', ')}: not learned, the first handshake via ${hop.name} failed (${hs.exchange.error ?? `HTTP ${hs.exchange.status}`}); socket.io's defaults stand in`,
      );
    }
  }
  return { target: resolved, learned };
}
