import { parseArgs } from 'node:util';
import type { MockTheiaOptions } from './options';
import { startMockTheia } from './server';

/**
 * One mock Theia per process, as the topology runs one per pod:
 *   npx tsx src/topology/mock-theia/main.ts --config '<json MockTheiaOptions>'   (or env SOCKETPROOF_THEIA_CONFIG)
 * Prints exactly one `{"event":"listening","port":N,"pod":"…"}` line once it accepts connections (the topology waits
 * for it); later stdout lines are JSON log events. SIGTERM/SIGINT close the server and exit 0.
 */

function readOptions(): MockTheiaOptions {
  const { values } = parseArgs({ options: { config: { type: 'string' } } });
  const raw = values.config ?? process.env.SOCKETPROOF_THEIA_CONFIG;
  if (!raw) throw new Error('missing --config <json> (or SOCKETPROOF_THEIA_CONFIG)');
  const opts = JSON.parse(raw) as MockTheiaOptions;
  for (const key of ['podName', 'basePath', 'socketPath'] as const) {
    if (typeof opts[key] !== 'string') throw new Error(`config.${key} must be a string`);
  }
  for (const key of ['pingInterval', 'pingTimeout', 'maxPayload'] as const) {
    if (typeof opts[key] !== 'number') throw new Error(`config.${key} must be a number`);
  }
  return opts;
}

async function main(): Promise<void> {
  const opts = readOptions();
  const server = await startMockTheia(opts);
  process.stdout.write(`${JSON.stringify({ event: 'listening', port: server.port, pod: opts.podName })}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${JSON.stringify({ event: 'stopping', signal, pod: opts.podName })}\n`);
    // A wedged close must not keep the pod alive: the topology kills by PID and waits for the exit.
    setTimeout(() => process.exit(0), 2000).unref();
    server.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`mock-theia: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
