import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseCheckpointFile } from '../../chain/checkpoint-file.js';
import { configuredPublicKey } from '../../chain/evidence.js';
import { verifyChainInParallel } from '../../chain/parallel-verify.js';
import { readPublicKey } from '../../chain/signing-key.js';
import { genesisLine, verdictLine } from '../../chain/verdict-text.js';
import type { AppConfig } from '../../config.js';
import { checkTimePoint } from '../../domain/query-values.js';
import { resolveTimePoint } from '../../domain/time-range.js';
import type { Checkpoint } from '../../store/event-chain.js';
import { openEventStore } from '../../store/open-store.js';
import { parseVerbArgs, UsageError } from '../usage.js';

const USAGE = 'usage: auditbot verify [--tenant ID] [--since TIME] [--checkpoints FILE --public-key FILE]';

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${what} ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** A one-line bar on stderr when it is a terminal. */
function progressLine(label: string): { update(done: number, total: number): void; done(): void } {
  if (!process.stderr.isTTY) return { update: () => {}, done: () => {} };
  let last = 0;
  let drawn = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      drawn = true;
      const fraction = total > 0 ? Math.min(1, done / total) : 1;
      const bar = `[${'#'.repeat(Math.round(fraction * 24)).padEnd(24, '.')}]`;
      process.stderr.write(
        `\r${label} ${bar} ${Math.floor(fraction * 100)}% ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}\u001b[K`,
      );
    },
    done() {
      if (drawn) process.stderr.write('\r\u001b[K');
    },
  };
}

/**
 * `verify`: recomputes every tenant's chain (or one) and checks each checkpoint's signature: exit 0
 * when all is intact, 1 naming the first broken position, its event and what it looks like.
 */
export async function verifyVerb(args: string[], config: AppConfig): Promise<number> {
  const { values, positionals } = parseVerbArgs(args, {
    tenant: { type: 'string' },
    since: { type: 'string' },
    checkpoints: { type: 'string' },
    'public-key': { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected "${positionals[0]}"; ${USAGE}`);
  let since: number | undefined;
  if (values.since !== undefined) {
    const checked = checkTimePoint('since', values.since);
    if (!checked.ok) throw new UsageError(`--since: ${checked.message}`);
    since = resolveTimePoint(checked.value, Date.now(), 'start');
  }
  let publicKey: KeyObject | null;
  if (values['public-key'] !== undefined) publicKey = readPublicKey(readText(values['public-key'], '--public-key'));
  else publicKey = configuredPublicKey(config);
  let fileCheckpoints: Checkpoint[] | undefined;
  if (values.checkpoints !== undefined) {
    if (values['public-key'] === undefined && publicKey === null) {
      throw new UsageError('--checkpoints needs --public-key FILE: the key the checkpoints must be signed by');
    }
    fileCheckpoints = parseCheckpointFile(
      readText(values.checkpoints, '--checkpoints'),
      values.checkpoints,
    ).checkpoints;
  }
  const store = await openEventStore(config.databaseUrl);
  try {
    const tenants = values.tenant !== undefined ? [values.tenant] : await store.chain.tenants();
    // A tenant the exported checkpoints name but the store no longer knows is checked too (and fails).
    for (const checkpoint of fileCheckpoints ?? []) {
      if (values.tenant === undefined && !tenants.includes(checkpoint.customerId)) tenants.push(checkpoint.customerId);
    }
    if (tenants.length === 0) tenants.push(config.defaultTenant.customerId);
    let broken = 0;
    for (const customerId of tenants) {
      const bar = progressLine(`verifying ${customerId}`);
      const verdict = await verifyChainInParallel(config.databaseUrl, store.chain, customerId, {
        publicKey,
        ...(fileCheckpoints ? { checkpoints: fileCheckpoints } : {}),
        ...(since === undefined ? {} : { since }),
        onProgress: bar.update,
      });
      bar.done();
      const prefix = tenants.length > 1 || values.tenant === undefined ? `${customerId}: ` : '';
      process.stdout.write(`${prefix}${verdictLine(verdict)}\n`);
      const genesis = genesisLine(verdict);
      if (genesis && verdict.intact) process.stdout.write(`  ${genesis}\n`);
      if (!verdict.intact) broken += 1;
    }
    return broken > 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}
