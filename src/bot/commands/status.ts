import type { Reply } from '../../replies/reply.js';
import { readSyncProblem } from '../../store/sync-health.js';
import type { CommandContext } from '../context.js';
import { dataFreshness } from '../freshness.js';

/** Quarantined records shown by name in `status`; the count covers them all. */
const SHOWN_QUARANTINE = 3;

function megabytes(bytes: number | null): string {
  return bytes === null ? 'in memory' : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** `status`: what the store holds for this tenant and how fresh each road is. */
export async function statusCommand(ctx: CommandContext): Promise<Reply> {
  const customerId = ctx.tenant.customerId;
  const [stats, freshness, quarantine, syncFacts] = await Promise.all([
    ctx.store.stats(customerId),
    dataFreshness(ctx.store, customerId),
    ctx.store.quarantined(customerId, SHOWN_QUARANTINE),
    syncStreamFacts(ctx),
  ]);
  const facts = [
    { label: 'Tenant', value: ctx.tenant.name ? `${ctx.tenant.name} (${customerId})` : customerId },
    { label: 'Events stored', value: stats.events.toLocaleString('en-US') },
    { label: 'Oldest event', value: stats.oldestEvent ?? '—' },
    { label: 'Newest event', value: stats.newestEvent ?? '—' },
    { label: 'Retention', value: `${ctx.config.retentionDays} days` },
    {
      label: 'Complete up to',
      value: freshness.completeUpTo ? `${freshness.completeUpTo} (${freshness.basis})` : 'no data yet',
    },
    { label: 'Store', value: `${ctx.store.kind}, ${megabytes(stats.sizeBytes)}` },
  ];
  for (const source of stats.bySource) {
    facts.push({
      label: `Source: ${source.source}`,
      value: `${source.events.toLocaleString('en-US')} events, newest ${source.newestEvent ?? '—'}, last stored ${source.lastStoredAt ?? '—'}`,
    });
  }
  facts.push(...syncFacts);
  facts.push({
    label: 'Quarantined records',
    value:
      quarantine.count === 0
        ? 'none'
        : `${quarantine.count.toLocaleString('en-US')} refused by validation and kept aside — latest: ${quarantine.recent
            .map((r) => `${r.source}: ${r.reason}`)
            .join('; ')}`,
  });
  return {
    kind: 'summary',
    title: 'auditbot status',
    facts,
    footnote:
      stats.events === 0 ? 'The store is empty: run `auditbot import <report.csv>` or `auditbot demo`.' : undefined,
  };
}

/** One line per configured 8x8 stream: fine, or what its last pass ran into. */
async function syncStreamFacts(ctx: CommandContext): Promise<{ label: string; value: string }[]> {
  return Promise.all(
    ctx.tenant.eightx8.map(async (source) => {
      const stream = { customerId: ctx.tenant.customerId, service: source.service, region: source.region ?? null };
      const problem = await readSyncProblem(ctx.store, stream);
      const name = `${stream.service.toLowerCase()}${stream.region ? `/${stream.region.toLowerCase()}` : ''}`;
      return {
        label: `8x8 sync: ${name}`,
        value: problem ? `last pass failed at ${problem.at}: ${problem.message}` : 'last pass fine',
      };
    }),
  );
}
