/**
 * `npm run bench:chain [-- --events N --import-events M --baseline REF]`: what the tamper-evident
 * chain costs, on the paths an operator takes, in one run.
 *
 * 1. `auditbot import` of an M-event NDJSON file into a fresh SQLite store, by this checkout and by
 *    REF (default: 236678f, the last commit before the chain), alternating, twice each: the ratio is
 *    import with chaining / import without it (target ≥ 0.9×).
 * 2. `auditbot verify` of N chained events (`auditbot demo --count N`; target ≤ 20 s at 1,000,000),
 *    beside a raw SHA-256 pass over the same stored rows: each row's columns read back and hashed
 *    after the previous hash, without canonicalisation (the floor a verifier of this chain cannot go
 *    below).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { hash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { generateDemoEvents } from '../src/sources/demo/demo-generator.js';
import { fmt, thousands } from './stats.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    'import-events': { type: 'string', default: '100000' },
    baseline: { type: 'string', default: '236678f' },
  },
});
const N = Number(values.events);
const M = Number(values['import-events']);
const dir = mkdtempSync(join(tmpdir(), 'auditbot-bench-chain-'));
const out = (line = '') => process.stdout.write(`${line}\n`);
const TENANT = 'bench-chain';

function baselineCheckout(ref: string): string {
  const path = join(dir, 'baseline');
  execFileSync('git', ['worktree', 'add', '--detach', path, ref], { stdio: 'ignore' });
  symlinkSync(resolve('node_modules'), join(path, 'node_modules'));
  return path;
}

function timedImport(root: string, file: string, db: string): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, [join(root, 'bin/auditbot.js'), 'import', file], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: `sqlite:${db}`,
      AUDITBOT_CUSTOMER_ID: TENANT,
      AUDITBOT_SIGNING_KEY: join(dir, 'key.pem'),
    },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`import by ${root} failed: ${run.stderr}`);
  return performance.now() - started;
}

let baseline = '';
try {
  out(
    `chain benchmark — import ${thousands(M)} events, verify ${thousands(N)}, Node ${process.version}, ${new Date().toISOString()}`,
  );
  const file = join(dir, 'events.ndjson');
  const lines: string[] = [];
  for (const event of generateDemoEvents({
    customerId: TENANT,
    count: M,
    now: Date.parse('2026-11-26T12:00:00Z'),
    seed: 11,
  })) {
    lines.push(JSON.stringify(event));
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  lines.length = 0;
  execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', join(dir, 'key.pem')]);
  baseline = baselineCheckout(values.baseline);

  const withChain: number[] = [];
  const without: number[] = [];
  for (let round = 1; round <= 2; round++) {
    without.push(timedImport(baseline, file, join(dir, `without-${round}.db`)));
    withChain.push(timedImport(resolve('.'), file, join(dir, `with-${round}.db`)));
    rmSync(join(dir, `without-${round}.db`), { force: true });
    rmSync(join(dir, `with-${round}.db`), { force: true });
  }
  const best = (samples: number[]) => Math.min(...samples);
  out('');
  out(`auditbot import (CLI, ${thousands(M)} NDJSON events → SQLite)   best of 2, events/s`);
  out(
    `  without the chain (${values.baseline})   ${thousands(M / (best(without) / 1000))}   runs ${without.map((ms) => fmt(ms / 1000, 1)).join(' / ')} s`,
  );
  out(
    `  with the chain (this checkout)   ${thousands(M / (best(withChain) / 1000))}   runs ${withChain.map((ms) => fmt(ms / 1000, 1)).join(' / ')} s`,
  );
  out(`  ratio with / without   ${fmt(best(without) / best(withChain))}×   (target ≥ 0.9×)`);

  const db = join(dir, 'verify.db');
  const env = { PATH: process.env.PATH, DATABASE_URL: `sqlite:${db}`, AUDITBOT_SIGNING_KEY: join(dir, 'key.pem') };
  const demoStarted = performance.now();
  const demo = spawnSync(process.execPath, [resolve('bin/auditbot.js'), 'demo', '--count', String(N)], {
    env,
    encoding: 'utf8',
  });
  if (demo.status !== 0) throw new Error(`demo failed: ${demo.stderr}`);
  const sealed = spawnSync(process.execPath, [resolve('bin/auditbot.js'), 'checkpoints', 'export', '--seal'], {
    env,
    encoding: 'utf8',
  });
  if (sealed.status !== 0) throw new Error(`sealing failed: ${sealed.stderr}`);
  out('');
  out(
    `auditbot demo --count ${thousands(N)} (the store to verify)   ${fmt((performance.now() - demoStarted) / 1000, 1)} s`,
  );
  const started = performance.now();
  const verify = spawnSync(process.execPath, [resolve('bin/auditbot.js'), 'verify'], {
    env: { PATH: process.env.PATH, DATABASE_URL: `sqlite:${db}`, AUDITBOT_SIGNING_KEY: join(dir, 'key.pem') },
    encoding: 'utf8',
  });
  const verifyMs = performance.now() - started;
  if (verify.status !== 0) throw new Error(`verify failed: ${verify.stdout}${verify.stderr}`);

  const raw = new Database(db, { readonly: true });
  const rawStarted = performance.now();
  let previous = '0'.repeat(64);
  let rows = 0;
  for (const row of raw.prepare('SELECT * FROM events ORDER BY seq').raw(true).iterate()) {
    previous = hash('sha256', previous + JSON.stringify(row), 'hex');
    rows += 1;
  }
  const rawMs = performance.now() - rawStarted;
  raw.close();
  out('');
  out(
    `auditbot verify (CLI, ${thousands(N)} events + checkpoints)   ${fmt(verifyMs / 1000, 1)} s   (target ≤ 20 s at 1,000,000)`,
  );
  out(`  ${verify.stdout.trim()}`);
  out(
    `raw SHA-256 pass over the same rows (${thousands(rows)}, no canonical form)   ${fmt(rawMs / 1000, 1)} s   ratio ${fmt(verifyMs / rawMs)}×`,
  );
} finally {
  if (baseline && existsSync(baseline))
    execFileSync('git', ['worktree', 'remove', '--force', baseline], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}
