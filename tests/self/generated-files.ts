/**
 * Every file a nested run generated, in a form a secret search can read: zips (traces, archives) unpacked next to
 * them, and the zip Playwright's HTML report embeds in its index.html as base64 written out and unpacked too, since
 * a secret inside either would otherwise pass a plain text search unseen.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

const embeddedZip = /data:application\/zip;base64,([A-Za-z0-9+/=]+)/g;

export function readableFiles(dir: string): string[] {
  for (const html of filesUnder(dir).filter((f) => f.endsWith('.html'))) {
    let i = 0;
    for (const m of readFileSync(html, 'latin1').matchAll(embeddedZip)) {
      writeFileSync(`${html}.embedded-${i++}.zip`, Buffer.from(m[1] as string, 'base64'));
    }
  }
  for (const zip of filesUnder(dir).filter((f) => f.endsWith('.zip'))) {
    execFileSync('python3', ['-m', 'zipfile', '-e', zip, `${zip}.unpacked`]);
  }
  return filesUnder(dir);
}

/** The files under `dir` that contain any of `secrets`. */
export function filesContaining(dir: string, secrets: string[]): string[] {
  return readableFiles(dir).filter((f) => {
    const text = readFileSync(f).toString('latin1');
    return secrets.some((s) => text.includes(s));
  });
}
