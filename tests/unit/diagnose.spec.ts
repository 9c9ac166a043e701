import { expect, test } from '../../fixtures/base';
import { engineIoCodes, parseEngineIoError } from '../../src/causes/engineio-codes';
import { diagnoseExchange } from '../../src/checks/diagnose';
import type { Exchange } from '../../src/probes/http';

function exchange(status: number | undefined, body: string, headers: Record<string, string> = {}, error?: string): Exchange {
  return {
    method: 'GET',
    url: 'http://127.0.0.1:1/theia/socket.io/?EIO=4&transport=polling',
    requestHeaders: {},
    status,
    responseHeaders: headers,
    body,
    error,
    ms: 1,
  };
}

test.describe('diagnosis from one response', () => {
  test('every Engine.IO code maps to its documented cause', () => {
    const expected = { 0: 'malformed-request', 1: 'session-affinity', 2: 'malformed-request', 3: 'upgrade-blocked', 4: 'origin-rejected', 5: 'protocol-mismatch' };
    for (const [code, cause] of Object.entries(expected)) {
      const known = engineIoCodes[Number(code)];
      const d = diagnoseExchange(exchange(Number(code) === 4 ? 403 : 400, JSON.stringify({ code: Number(code), message: known?.message })));
      expect(d.cause, `code ${code}`).toBe(cause);
      expect(d.observed).toContain(`Engine.IO code ${code} "${known?.message}"`);
    }
  });

  test('a failed upgrade answers plain text, and is still read as its code', () => {
    expect(diagnoseExchange(exchange(400, 'Bad request')).cause).toBe('upgrade-blocked');
  });

  test('a cache hit wins over the status: the app never saw the request', () => {
    const d = diagnoseExchange(exchange(400, '{"code":1,"message":"Session ID unknown"}', { 'x-cache-status': 'HIT' }));
    expect(d.cause).toBe('cdn-caching');
  });

  test('404, network errors and bad gateways', () => {
    expect(diagnoseExchange(exchange(404, 'Cannot GET /theia/socket.io/')).cause).toBe('wrong-path');
    expect(diagnoseExchange(exchange(undefined, '', {}, 'connection refused')).cause).toBe('target-unreachable');
    expect(diagnoseExchange(exchange(502, '<html>Bad Gateway</html>')).cause).toBe('target-unreachable');
    expect(diagnoseExchange(exchange(500, 'oops')).cause).toBe('unexpected-response');
  });

  test('non-JSON bodies are not Engine.IO errors', () => {
    expect(parseEngineIoError('<html>')).toBeUndefined();
    expect(parseEngineIoError('{"code":"x"}')).toBeUndefined();
  });
});
