/**
 * Which fixes address what a diagnosis found, best first, from the fixes' own data (fixes/*.yaml): a fix ranks by
 * how many red verdicts it turns green (their cause is in its `addresses` and their check in its `traffic`), then
 * by how many red verdicts have a cause it addresses, then by how many lint findings name it. A trap
 * (`effectiveOnGke: false`) is never recommended; when it addresses a red cause it is named with its reason, since
 * it is the fix people try first.
 */
import type { Verdict } from '../verdict';
import type { Fix } from './load';

export interface RankedFix {
  fix: Fix;
  /** `check@hop` of the red verdicts this fix turns green. */
  turnsGreen: string[];
  /** Red verdicts whose cause it addresses. */
  addressed: number;
  /** Lint findings (error or warning) that name it. */
  lintFindings: number;
  command: string;
}

export interface FixRanking {
  ranked: RankedFix[];
  /** Traps that address a red cause: not to apply, and why. */
  traps: Fix[];
}

type RedVerdict = Pick<Verdict, 'ok' | 'check' | 'hop' | 'cause'>;

export function applyFixCommand(id: string): string {
  return `npx tsx scripts/apply-fix.ts ${id}`;
}

export function rankFixes(verdicts: RedVerdict[], lintFixes: string[], fixes: Fix[]): FixRanking {
  const red = verdicts.filter((v) => !v.ok && v.cause);
  const ranked = fixes
    .filter((fix) => fix.effectiveOnGke)
    .map((fix) => {
      const addressedVerdicts = red.filter((v) => fix.addresses.includes(v.cause as Fix['addresses'][number]));
      return {
        fix,
        turnsGreen: addressedVerdicts.filter((v) => (fix.traffic as string[]).includes(v.check)).map((v) => `${v.check}@${v.hop}`),
        addressed: addressedVerdicts.length,
        lintFindings: lintFixes.filter((id) => id === fix.id).length,
        command: applyFixCommand(fix.id),
      };
    })
    .filter((r) => r.addressed > 0 || r.lintFindings > 0)
    .sort(
      (a, b) =>
        b.turnsGreen.length - a.turnsGreen.length || b.addressed - a.addressed || b.lintFindings - a.lintFindings || a.fix.id.localeCompare(b.fix.id),
    );
  const traps = fixes.filter((fix) => !fix.effectiveOnGke && red.some((v) => fix.addresses.includes(v.cause as Fix['addresses'][number])));
  return { ranked, traps };
}

/** The lines diagnose ends with: ranked fixes with the exact command, the traps, or why there is none. */
export function formatFixRanking(ranking: FixRanking, redCauses: string[]): string {
  const lines: string[] = [];
  if (ranking.ranked.length === 0) {
    lines.push(
      redCauses.length > 0
        ? `fixes: none in fixes/ addresses ${redCauses.join(', ')}: follow the runbooks above`
        : 'fixes: nothing to fix',
    );
  } else {
    lines.push('fixes, best first:');
    ranking.ranked.forEach((r, i) => {
      const why = [
        r.turnsGreen.length > 0 ? `turns green ${r.turnsGreen.join(', ')}` : '',
        r.addressed > 0 && r.turnsGreen.length === 0 ? `addresses ${[...new Set(r.fix.addresses)].filter((c) => redCauses.includes(c)).join(', ')} (no traffic check of this target proves it)` : '',
        r.lintFindings > 0 ? `${r.lintFindings} lint finding${r.lintFindings === 1 ? '' : 's'}` : '',
      ].filter(Boolean);
      lines.push(`  ${i + 1}. ${r.fix.id}: ${r.fix.title} — ${why.join('; ')}`);
      lines.push(`     ${r.command}`);
    });
  }
  for (const trap of ranking.traps) lines.push(`  not ${trap.id}: ${trap.ineffectiveReason ?? 'it changes nothing on GKE'}`);
  return lines.join('\n');
}
