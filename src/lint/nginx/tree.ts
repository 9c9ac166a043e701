/**
 * Walking a parsed nginx config: the virtual servers (a `server` with a block, inside `http` or at the top of a
 * snippet such as conf.d/default.conf; an upstream's `server` lines have none), and each block's chain of
 * enclosing blocks (`http`, `server`, `location`…), outermost first, which is what inheritance follows.
 */
import type { NginxConfig, NginxDirective } from './parser';

/** The enclosing blocks of a directive, outermost first (`[http, server, location]`). */
export type Chain = NginxDirective[];

export interface ServerBlock {
  server: NginxDirective;
  /** `[http, server]`, or `[server]` in a snippet. */
  chain: Chain;
}

export function children(block: NginxDirective | undefined, name: string): NginxDirective[] {
  return (block?.block ?? []).filter((d) => d.name === name);
}

export function servers(config: NginxConfig): ServerBlock[] {
  const found: ServerBlock[] = [];
  const visit = (directives: NginxDirective[], chain: Chain) => {
    for (const d of directives) {
      if (d.name === 'server' && d.block) found.push({ server: d, chain: [...chain, d] });
      else if (d.name === 'http' && d.block) visit(d.block, [...chain, d]);
    }
  };
  visit(config.directives, []);
  return found;
}

/** Every block-owning directive named `name` anywhere in the config (e.g. all `upstream` blocks). */
export function blocksNamed(config: NginxConfig, name: string): { directive: NginxDirective; chain: Chain }[] {
  const found: { directive: NginxDirective; chain: Chain }[] = [];
  const visit = (directives: NginxDirective[], chain: Chain) => {
    for (const d of directives) {
      if (!d.block) continue;
      if (d.name === name) found.push({ directive: d, chain: [...chain, d] });
      visit(d.block, [...chain, d]);
    }
  };
  visit(config.directives, []);
  return found;
}

/** `location = /x` → "= /x"; how findings name a location. */
export function describeLocation(location: NginxDirective): string {
  return `location ${location.args.map((a) => a.value).join(' ')}`;
}
