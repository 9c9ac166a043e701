import { expect, test } from '../../fixtures/base';
import { formatExchange } from '../../src/checks/evidence';
import { redactHeaders, redactText } from '../../src/secrets/redact';

test.describe('redaction', () => {
  test('credential headers are hidden, cookie names kept', () => {
    const h = redactHeaders({
      authorization: 'Bearer abc.def.ghi',
      cookie: 'theia-connection-token=1234-5678; GCLB=pod-0',
      'set-cookie': ['theia-connection-token=9999; Path=/; HttpOnly'],
      'x-socketproof-pod': 'pod-0',
    });
    expect(h.authorization).toBe('<redacted>');
    expect(h.cookie).toBe('theia-connection-token=<redacted>; GCLB=<redacted>');
    expect(h['set-cookie']).toBe('theia-connection-token=<redacted>; Path=/; HttpOnly');
    expect(h['x-socketproof-pod']).toBe('pod-0');
  });

  test('tokens in free text are hidden', () => {
    const text = redactText('Authorization: Bearer s3cr3t-token\ntoken: abcdef\nclient-key-data: QUJD\nsee planted-secret-42', ['planted-secret-42']);
    for (const secret of ['s3cr3t-token', 'abcdef', 'QUJD', 'planted-secret-42']) expect(text).not.toContain(secret);
  });

  test('an exchange attachment carries no cookie or token value', () => {
    const text = formatExchange({
      method: 'GET',
      url: 'http://127.0.0.1:1/theia/',
      requestHeaders: { authorization: 'Bearer planted-1', cookie: 'theia-connection-token=planted-2' },
      status: 200,
      responseHeaders: { 'set-cookie': ['theia-connection-token=planted-3; Path=/'] },
      body: 'ok',
      ms: 1,
    });
    expect(text).not.toMatch(/planted-[123]/);
  });
});
