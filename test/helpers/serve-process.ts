import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { until } from '../adapters/slack/harness.js';

/** A real `auditbot serve` process: its base URL once it listens, and what it logged so far. */
export interface ServeProcess {
  child: ChildProcess;
  base: string;
  log: () => string;
}

const BIN = resolve('bin/auditbot.js');

/** Starts `auditbot serve` on a free port with the given environment (over this process's own). */
export async function spawnServe(env: Record<string, string>, children: ChildProcess[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, PORT: '0', AUDITBOT_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const port = await until(() => /serving on http:\/\/localhost:(\d+)/.exec(stderr)?.[1], 30_000);
  return { child, base: `http://127.0.0.1:${port}`, log: () => stderr };
}
