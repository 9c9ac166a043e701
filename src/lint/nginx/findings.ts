/**
 * nginx findings are pinned where the fix goes, not where the symptom is: a server-level `proxy_set_header` list
 * that lacks Upgrade is one finding at that list, however many locations inherit it. This groups the problems of
 * several Socket.IO locations by that anchor and names the affected locations in one message.
 */
import type { Finding, Severity } from '../types';
import type { NginxDirective } from './parser';
import { describeLocation } from './tree';

interface Group {
  rule: string;
  severity: Severity;
  anchor: NginxDirective;
  message: string;
  locations: string[];
}

export class AnchoredFindings {
  private readonly groups = new Map<string, Group>();

  add(rule: string, severity: Severity, anchor: NginxDirective, message: string, location?: NginxDirective): void {
    const key = `${rule}\0${anchor.file}\0${anchor.line}\0${anchor.column}\0${message}`;
    const group = this.groups.get(key) ?? { rule, severity, anchor, message, locations: [] };
    const name = location ? describeLocation(location) : undefined;
    if (name && !group.locations.includes(name)) group.locations.push(name);
    this.groups.set(key, group);
  }

  findings(): Finding[] {
    return [...this.groups.values()].map((g) => {
      // Say which locations are affected when the anchor is not the location itself.
      const own = g.anchor.name === 'location' && g.locations.length === 1 && g.locations[0] === describeLocation(g.anchor);
      const where = g.locations.length > 0 && !own ? ` (Socket.IO via ${g.locations.join(', ')})` : '';
      return {
        rule: g.rule,
        severity: g.severity,
        file: g.anchor.file,
        line: g.anchor.line,
        column: g.anchor.column,
        message: `${g.message}${where}`,
      };
    });
  }
}
