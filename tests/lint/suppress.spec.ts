/**
 * Inline suppression: `# socketproof-lint-disable-next-line <rule>[, <rule>]: <reason>` silences those rules on
 * the next line holding code, in YAML and nginx files; without a reason, or naming an unknown rule, it is not
 * applied and is itself a finding.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '../../fixtures/base';
import { parseSuppression } from '../../src/lint/suppress';
import { lint } from './harness';

const bc = (comment: string) => `apiVersion: cloud.google.com/v1
kind: BackendConfig
metadata:
  name: x
spec:
  connectionDraining: { drainingTimeoutSec: 60 }
  cdn:
${comment}
    enabled: true
  timeoutSec: 3600
`;

test.describe('lint suppression', { tag: '@lint' }, () => {
  let dir: string;
  test.beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'socketproof-suppress-'));
  });
  test.afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const rulesOf = (name: string, text: string) => {
    writeFileSync(path.join(dir, name), text);
    return lint(path.join(dir, name)).findings.map((f) => `${f.rule}:${f.line}`);
  };

  test('the comment grammar', () => {
    expect(parseSuppression(' socketproof-lint-disable-next-line a-rule: why')).toEqual({ error: expect.stringContaining('unknown rule a-rule') });
    expect(parseSuppression(' socketproof-lint-disable-next-line backendconfig-cdn, nginx-cache: static only')).toEqual({
      rules: ['backendconfig-cdn', 'nginx-cache'],
      reason: 'static only',
    });
    expect(parseSuppression(' socketproof-lint-disable-next-line backendconfig-cdn:  ')).toEqual({ error: expect.stringContaining('gives no reason') });
    expect(parseSuppression(' socketproof-lint-disable-next-line')).toEqual({ error: expect.stringContaining('names no rule') });
    expect(parseSuppression(' an ordinary comment')).toBeUndefined();
  });

  test('with a reason it silences the rule on the next code line (comments and blank lines in between skipped)', () => {
    expect(rulesOf('none.yaml', bc(''))).toEqual(['backendconfig-cdn:9']);
    expect(rulesOf('ok.yaml', bc('    # socketproof-lint-disable-next-line backendconfig-cdn: static assets only\n\n    # another comment'))).toEqual([]);
  });

  test('it silences only the rules it names, only on that line', () => {
    expect(rulesOf('other.yaml', bc('    # socketproof-lint-disable-next-line backendconfig-draining: not this one'))).toEqual(['backendconfig-cdn:9']);
  });

  test('without a reason, or for an unknown rule: not applied, and a finding of its own', () => {
    expect(rulesOf('noreason.yaml', bc('    # socketproof-lint-disable-next-line backendconfig-cdn'))).toEqual(['lint-suppression:8', 'backendconfig-cdn:9']);
    expect(rulesOf('unknown.yaml', bc('    # socketproof-lint-disable-next-line backendconfig-cnd: typo'))).toEqual(['lint-suppression:8', 'backendconfig-cdn:9']);
  });

  test('in nginx files too', () => {
    const conf = (comment: string) =>
      `events {}\nhttp {\n  server {\n    listen 80;\n    location /socket.io/ {\n${comment}\n      proxy_http_version 1.1;\n      proxy_set_header Upgrade $http_upgrade;\n      proxy_set_header Connection upgrade;\n      proxy_set_header Host $host;\n      proxy_read_timeout 10s;\n      proxy_pass http://a;\n    }\n  }\n}\n`;
    expect(rulesOf('a.conf', conf(''))).toEqual(['nginx-read-timeout:11']);
    const silenced = conf('').replace('      proxy_read_timeout 10s;', '      # socketproof-lint-disable-next-line nginx-read-timeout: this app pings every 5 s\n      proxy_read_timeout 10s;');
    expect(rulesOf('b.conf', silenced)).toEqual([]);
  });
});
