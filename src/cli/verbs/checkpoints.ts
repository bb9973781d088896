import { checkpointLine } from '../../chain/checkpoint-file.js';
import { sealChains } from '../../chain/checkpoints.js';
import { lazySigningKey } from '../../chain/evidence.js';
import type { AppConfig } from '../../config.js';
import { checkTimePoint } from '../../domain/query-values.js';
import { resolveTimePoint } from '../../domain/time-range.js';
import { createLogger } from '../../logger.js';
import { openEventStore } from '../../store/open-store.js';
import { parseVerbArgs, UsageError } from '../usage.js';

const USAGE = 'usage: auditbot checkpoints export [--since TIME] [--tenant ID] [--seal]';

/**
 * `checkpoints export`: every stored checkpoint (or those made since TIME) as JSON lines with the
 * signer's public key, for verification away from this database. `--seal` first signs a checkpoint up to each head.
 */
export async function checkpointsVerb(args: string[], config: AppConfig): Promise<number> {
  const { values, positionals } = parseVerbArgs(args, {
    since: { type: 'string' },
    tenant: { type: 'string' },
    seal: { type: 'boolean' },
  });
  if (positionals[0] !== 'export' || positionals.length > 1) throw new UsageError(USAGE);
  let since: number | undefined;
  if (values.since !== undefined) {
    const checked = checkTimePoint('since', values.since);
    if (!checked.ok) throw new UsageError(`--since: ${checked.message}`);
    since = resolveTimePoint(checked.value, Date.now(), 'start');
  }
  const key = lazySigningKey(config, createLogger({ level: 'warn' }))();
  const store = await openEventStore(config.databaseUrl);
  try {
    if (values.seal) await sealChains(store, key, Date.now(), { force: true });
    const tenants = values.tenant !== undefined ? [values.tenant] : await store.chain.tenants();
    for (const customerId of tenants) {
      for (const checkpoint of await store.chain.checkpoints(customerId, since === undefined ? {} : { since })) {
        process.stdout.write(`${checkpointLine(checkpoint, key)}\n`);
      }
    }
    return 0;
  } finally {
    await store.close();
  }
}
