/**
 * The two pictures of a load report, as SVG (Allure shows image/svg+xml attachments inline): the echo latency
 * histogram over the same buckets as the OpenMetrics file, and the sessions per replica. Plain text in, text out.
 */
import { LATENCY_BUCKETS_MS } from './stats';

const W = 640;
const H = 300;
const PAD = { left: 56, right: 16, top: 36, bottom: 56 };

const escXml = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function barChart(title: string, bars: { label: string; value: number; color?: string }[], yLabel: string): string {
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const slot = plotW / Math.max(1, bars.length);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${escXml(title)}</text>`,
    `<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${PAD.left + plotW}" y2="${PAD.top + plotH}" stroke="black"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + plotH}" stroke="black"/>`,
    `<text x="14" y="${PAD.top + plotH / 2}" transform="rotate(-90 14 ${PAD.top + plotH / 2})" text-anchor="middle">${escXml(yLabel)}</text>`,
    `<text x="${PAD.left - 4}" y="${PAD.top + 4}" text-anchor="end">${max}</text>`,
    `<text x="${PAD.left - 4}" y="${PAD.top + plotH}" text-anchor="end">0</text>`,
  ];
  bars.forEach((b, i) => {
    const h = (b.value / max) * plotH;
    const x = PAD.left + i * slot + slot * 0.1;
    const y = PAD.top + plotH - h;
    parts.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(slot * 0.8).toFixed(1)}" height="${h.toFixed(1)}" fill="${b.color ?? '#4a78c2'}"/>`);
    if (b.value > 0) parts.push(`<text x="${(x + slot * 0.4).toFixed(1)}" y="${(y - 3).toFixed(1)}" text-anchor="middle">${b.value}</text>`);
    parts.push(
      `<text x="${(x + slot * 0.4).toFixed(1)}" y="${PAD.top + plotH + 14}" text-anchor="end" transform="rotate(-35 ${(x + slot * 0.4).toFixed(1)} ${PAD.top + plotH + 14})">${escXml(b.label)}</text>`,
    );
  });
  parts.push('</svg>', '');
  return parts.join('\n');
}

/** Echo latencies per bucket (not cumulative): how many round trips took at most each bound and more than the last. */
export function latencyHistogramSvg(latencies: number[], title: string): string {
  const counts = LATENCY_BUCKETS_MS.map(() => 0);
  let over = 0;
  for (const l of latencies) {
    const i = LATENCY_BUCKETS_MS.findIndex((b) => l <= b);
    if (i < 0) over++;
    else counts[i] = (counts[i] ?? 0) + 1;
  }
  const bars = LATENCY_BUCKETS_MS.map((b, i) => ({ label: `≤ ${b} ms`, value: counts[i] ?? 0 }));
  bars.push({ label: `> ${LATENCY_BUCKETS_MS.at(-1)} ms`, value: over });
  return barChart(title, bars, 'echo round trips');
}

/** Sessions per replica, and the failed sessions (which reached none for good) in red. */
export function distributionSvg(replicas: Record<string, number>, failed: number, title: string): string {
  const bars = Object.entries(replicas)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, value]) => ({ label, value }));
  bars.push({ label: 'failed', value: failed, color: '#c0392b' } as { label: string; value: number; color: string });
  return barChart(title, bars, 'sessions');
}
