/** etcd's and kube-apiserver's log files in a run dir: all of them for logs(), their tails for a failed start. */
import fs from 'node:fs/promises';
import path from 'node:path';

export interface LogFiles {
  etcd: string;
  apiserver: string;
}

export function logFilesIn(dir: string): LogFiles {
  return { etcd: path.join(dir, 'etcd.log'), apiserver: path.join(dir, 'kube-apiserver.log') };
}

/** Both logs whole, each under a header naming it. */
export async function readLogFiles(logFiles: LogFiles): Promise<string> {
  const parts: string[] = [];
  const named: [string, string][] = [
    ['etcd', logFiles.etcd],
    ['kube-apiserver', logFiles.apiserver],
  ];
  for (const [name, file] of named) {
    parts.push(`===== ${name} (${file}) =====\n${await fs.readFile(file, 'utf8').catch(() => '(no log)')}`);
  }
  return parts.join('\n');
}

/** What a failed start reports: the run, what failed and when, and the last lines of both logs. */
export async function failureReport(id: string, what: string, elapsed: string, logFiles: LogFiles): Promise<string> {
  return [
    `control plane ${id}: ${what} (after ${elapsed})`,
    `--- last lines of ${logFiles.etcd} ---`,
    await tailFile(logFiles.etcd, 25),
    `--- last lines of ${logFiles.apiserver} ---`,
    await tailFile(logFiles.apiserver, 40),
  ].join('\n');
}

async function tailFile(file: string, lines: number): Promise<string> {
  try {
    return (await fs.readFile(file, 'utf8')).split('\n').slice(-lines - 1).join('\n');
  } catch {
    return '(no log)';
  }
}
