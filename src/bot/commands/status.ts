import type { Reply } from '../../replies/reply.js';
import type { CommandContext } from '../context.js';
import { dataFreshness } from '../freshness.js';

function megabytes(bytes: number | null): string {
  return bytes === null ? 'in memory' : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** `status`: what the store holds for this tenant and how fresh each road is. */
export async function statusCommand(ctx: CommandContext): Promise<Reply> {
  const customerId = ctx.tenant.customerId;
  const [stats, freshness] = await Promise.all([ctx.store.stats(customerId), dataFreshness(ctx.store, customerId)]);
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
  return {
    kind: 'summary',
    title: 'auditbot status',
    facts,
    footnote:
      stats.events === 0 ? 'The store is empty: run `auditbot import <report.csv>` or `auditbot demo`.' : undefined,
  };
}
