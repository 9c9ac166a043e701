/**
 * nginx time values (`60`, `60s`, `1h30m`, `500ms`) in milliseconds, as `ngx_parse_time()` reads them
 * (nginx/nginx src/core/ngx_parse.c; units in https://nginx.org/en/docs/syntax.html): ms, s, m, h, d, w, M (30 d),
 * y (365 d); a number without a unit is seconds; units may be combined from largest to smallest. Undefined when
 * the value is not a time (a variable, a typo), so a rule never judges a value it cannot read.
 */
const unitMs: Record<string, number> = {
  y: 365 * 86_400_000,
  M: 30 * 86_400_000,
  w: 7 * 86_400_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};

export function parseNginxTime(value: string): number | undefined {
  let total = 0;
  let digits = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    if (ch >= '0' && ch <= '9') {
      digits += ch;
      continue;
    }
    if (ch === ' ') continue;
    const unit = ch === 'm' && value[i + 1] === 's' ? 'ms' : ch;
    const factor = unitMs[unit];
    if (factor === undefined || digits === '') return undefined;
    total += Number(digits) * factor;
    digits = '';
    if (unit === 'ms') i++;
  }
  if (digits !== '') total += Number(digits) * 1000;
  return value.trim() === '' ? undefined : total;
}

/** `90 s`, `1 h`: how findings print a duration. */
export function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0 && ms >= 3_600_000) return `${ms / 3_600_000} h`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}
