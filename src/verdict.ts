import type { CauseId } from './causes/catalogue';

/** One piece of evidence a check gathered: a request/response pair, a frame log, a screenshot. */
export interface Evidence {
  name: string;
  contentType: 'text/plain' | 'application/json' | 'image/png';
  body: string | Buffer;
}

/**
 * The result of one check on one hop. Specs assert `ok`, self-tests assert `ok` and `cause`, diagnosis prints them.
 * `expected` and `observed` are short human sentences; `cause` comes from the catalogue and only from what was observed.
 */
export interface Verdict {
  ok: boolean;
  check: string;
  hop: string;
  expected: string;
  observed: string;
  cause?: CauseId;
  evidence: Evidence[];
}
