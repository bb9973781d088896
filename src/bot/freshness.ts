import type { Freshness } from '../replies/reply.js';
import type { EventStore } from '../store/event-store.js';
import { freshnessKey } from '../store/sync-health.js';

/**
 * How far the data is complete: the sync watermark when the 8x8 API feeds this tenant, else the
 * newest stored event (imports and ingest carry no promise of completeness beyond it).
 */
export async function dataFreshness(store: EventStore, customerId: string): Promise<Freshness> {
  const watermark = await store.getState<string>(freshnessKey(customerId));
  if (typeof watermark === 'string') return { completeUpTo: watermark, basis: 'api' };
  const newest = await store.search(
    { customerId, range: { start: 0, end: Number.MAX_SAFE_INTEGER }, services: { include: [], exclude: ['auditbot'] } },
    { limit: 1 },
  );
  const event = newest.events[0];
  return event
    ? { completeUpTo: event.auditTimestamp, basis: `newest ${event.source} event` }
    : { completeUpTo: null, basis: null };
}
