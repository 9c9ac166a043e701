/**
 * `include` as nginx reads it (`ngx_conf_include()`, nginx/nginx src/core/ngx_conf_file.c): the named file's
 * directives take the include's place, a pattern (`conf.d/*.conf`) includes every match in name order. Relative
 * names resolve against the main config's directory (nginx: the configuration prefix). Absolute names point into
 * the machine the config runs on (a container), not this one: they are not followed, and neither is a relative
 * one that does not exist next to the file; such an include is marked `unresolvedInclude` so a rule can say its
 * verdict assumes the file sets nothing it looks at.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type NginxComment, type NginxConfig, type NginxDirective, parseNginx } from './parser';

/** Shell-style `*` `?` `[…]` of one path segment, as glob(3) matches it. */
function segmentMatcher(pattern: string): (name: string) => boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${pattern.slice(i + 1, end).replace(/^!/, '^')}]`;
        i = end;
      }
    } else re += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  const compiled = new RegExp(`^${re}$`);
  return (name) => compiled.test(name);
}

function matches(baseDir: string, name: string): string[] {
  const full = path.join(baseDir, name);
  if (!/[*?[]/.test(name)) return [full];
  const dir = path.dirname(full);
  const match = segmentMatcher(path.basename(full));
  try {
    return readdirSync(dir)
      .filter(match)
      .sort()
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

/**
 * The config with its includes spliced in (recursively, at most `depth` levels: nginx has no limit, a loop would
 * not end). `displayName` names an included file in findings (relative to the project, like its includer).
 */
export function resolveIncludes(config: NginxConfig, baseDir: string | undefined, displayName: (abs: string) => string, depth = 8): NginxConfig {
  const comments: NginxComment[] = [...config.comments];
  const expand = (directives: NginxDirective[], level: number): NginxDirective[] =>
    directives.flatMap((d) => {
      if (d.block) return [{ ...d, block: expand(d.block, level) }];
      if (d.name !== 'include' || d.args.length !== 1) return [d];
      const name = (d.args[0] as { value: string }).value;
      if (!baseDir || path.isAbsolute(name) || level >= depth) return [{ ...d, unresolvedInclude: true }];
      const files = matches(baseDir, name);
      const parsed: NginxDirective[] = [];
      for (const file of files) {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch {
          return [{ ...d, unresolvedInclude: true }];
        }
        const included = parseNginx(text, displayName(file));
        comments.push(...included.comments);
        parsed.push(...expand(included.directives, level + 1));
      }
      return files.length === 0 && !/[*?[]/.test(name) ? [{ ...d, unresolvedInclude: true }] : [d, ...parsed];
    });
  return { file: config.file, directives: expand(config.directives, 0), comments };
}
