/** Turns what a probe saw into report attachments, with secrets redacted on the way out. */
import type { Exchange } from '../probes/http';
import { redactHeaders, redactText } from '../secrets/redact';
import type { Evidence, Verdict } from '../verdict';
import type { CauseId } from '../causes/catalogue';

const maxBody = 2000;

export function formatExchange(ex: Exchange): string {
  const url = new URL(ex.url);
  const lines = [`${ex.method} ${url.pathname}${url.search}  (host ${url.host}, ${ex.ms} ms)`];
  for (const [k, v] of Object.entries(redactHeaders(ex.requestHeaders))) lines.push(`> ${k}: ${v}`);
  if (ex.requestBody !== undefined) lines.push(`> body: ${JSON.stringify(ex.requestBody)}`);
  if (ex.error) lines.push(`! ${ex.error}`);
  if (ex.status !== undefined) {
    lines.push(`< ${ex.status}${ex.replica ? `  (replica ${ex.replica})` : ''}`);
    for (const [k, v] of Object.entries(redactHeaders(ex.responseHeaders))) lines.push(`< ${k}: ${v}`);
    const body = ex.body.length > maxBody ? `${ex.body.slice(0, maxBody)}… (${ex.body.length} bytes)` : ex.body;
    lines.push(`< body: ${JSON.stringify(body)}`);
  }
  return redactText(lines.join('\n'));
}

export function exchangesEvidence(name: string, exchanges: Exchange[]): Evidence {
  return { name, contentType: 'text/plain', body: exchanges.map(formatExchange).join('\n\n') };
}

export function textEvidence(name: string, text: string): Evidence {
  return { name, contentType: 'text/plain', body: redactText(text) };
}

/** Builds verdicts so every check words them the same way. */
export class VerdictBuilder {
  readonly evidence: Evidence[] = [];

  constructor(
    readonly check: string,
    readonly hop: string,
    readonly expected: string,
  ) {}

  attach(evidence: Evidence): this {
    this.evidence.push(evidence);
    return this;
  }

  /**
   * Runs a check's body, then `gather` (always, also when the body returned early or threw: the evidence of a failure
   * matters most), and returns the body's verdict with every piece of evidence attached by then.
   */
  async conclude(body: () => Promise<Verdict>, gather: () => void | Promise<void>): Promise<Verdict> {
    let verdict: Verdict;
    try {
      verdict = await body();
    } finally {
      await gather();
    }
    return { ...verdict, evidence: [...this.evidence] };
  }

  pass(observed: string): Verdict {
    return { ok: true, check: this.check, hop: this.hop, expected: this.expected, observed, evidence: [...this.evidence] };
  }

  fail(cause: CauseId, observed: string): Verdict {
    return {
      ok: false,
      check: this.check,
      hop: this.hop,
      expected: this.expected,
      observed,
      cause,
      evidence: [...this.evidence],
    };
  }
}
