/** Where a cause's runbook lives: the repository's docs by default, a published URL (SOCKETPROOF_RUNBOOK_BASE_URL) in CI. */
export function runbookUrl(cause: string, env = process.env): string {
  const base = env.SOCKETPROOF_RUNBOOK_BASE_URL ?? 'docs/runbooks/';
  return `${base.endsWith('/') ? base : `${base}/`}${cause}.md`;
}
