import { join } from 'node:path';
import type { AuditEvent } from '../domain/audit-event.js';
import { computeChanges, needsPreviousState } from '../domain/changes.js';
import { entityLabel, type NameLookup, summarizeEvent } from '../replies/summarize.js';
import { writeReport } from '../reports/csv-report.js';
import type { EventStore } from '../store/event-store.js';
import type { AlertDigest, AlertMessage, CountLine } from './notifier.js';
import { redactChanges, redactEvent } from './redact.js';

export type NameSource = (customerId: string, ids: Iterable<string | null>) => Promise<NameLookup>;

/** Lines of a digest shown before "… and N more in the CSV". */
export const DIGEST_FIRST_LINES = 5;
/** Values per count list: the rest is summed into "others". */
const TOP_COUNTS = 5;

/** One alert, as `show` would answer it, with secret attributes masked and the changes collapsed. */
export async function alertMessage(
  deps: { store: EventStore; names: NameSource; redact: readonly string[] },
  event: AuditEvent,
  rule: { id: string; query: string },
): Promise<AlertMessage> {
  const previous = needsPreviousState(event)
    ? await deps.store.previousState(
        {
          customerId: event.customerId,
          service: event.service,
          entityType: event.entityType,
          entityKey: event.entityKey,
        },
        event,
      )
    : null;
  const names = await deps.names(event.customerId, [event.auditUserId, event.impersonator]);
  const shown = redactEvent(event, deps.redact);
  return {
    rule,
    detail: {
      kind: 'event-detail',
      summary: summarizeEvent(shown, names),
      event: shown,
      changes: redactChanges(computeChanges(event, previous), deps.redact),
      editUrl: null,
      expanded: false,
    },
  };
}

function countBy(events: AuditEvent[], key: (e: AuditEvent) => string): CountLine[] {
  const counts = new Map<string, number>();
  for (const event of events) counts.set(key(event), (counts.get(key(event)) ?? 0) + 1);
  const sorted = [...counts].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count);
  if (sorted.length <= TOP_COUNTS) return sorted;
  const others = sorted.slice(TOP_COUNTS - 1).reduce((sum, line) => sum + line.count, 0);
  return [...sorted.slice(0, TOP_COUNTS - 1), { label: `${sorted.length - TOP_COUNTS + 1} others`, count: others }];
}

async function* each(events: AuditEvent[]): AsyncGenerator<AuditEvent> {
  yield* events;
}

/** Directory of a tenant's reports, as src/bot/commands/report.ts names it (Teams links check it). */
function tenantDirectory(root: string, customerId: string): string {
  return join(root, customerId.replace(/[^A-Za-z0-9._-]/g, '_'));
}

/**
 * A digest of many alerts for one destination: counts by operation, actor and entity type, the
 * first lines, and every event written to CSV — nothing is left out, whatever the count.
 */
export async function alertDigest(
  deps: { names: NameSource; reportDirectory: string; redact: readonly string[] },
  customerId: string,
  events: AuditEvent[],
  rules: { id: string; query: string }[],
  now: number,
): Promise<AlertDigest> {
  const names = await deps.names(
    customerId,
    events.flatMap((e) => [e.auditUserId, e.impersonator]),
  );
  const stamp = new Date(now).toISOString().replace(/[-:.]/g, '').replace('T', '-').slice(0, 18);
  const parts = await writeReport(each(events.map((e) => redactEvent(e, deps.redact))), {
    directory: tenantDirectory(deps.reportDirectory, customerId),
    baseName: `alert-digest-${stamp}-${Math.random().toString(36).slice(2, 8)}`,
  });
  const times = events.map((e) => e.auditTimestamp).sort();
  const actorName = (id: string | null) => (id ? (names.get(id) ?? id) : 'unknown');
  return {
    customerId,
    rules,
    total: events.length,
    byOperation: countBy(events, (e) => e.eventType),
    byActor: countBy(events, (e) => actorName(e.auditUserId)),
    byEntityType: countBy(events, (e) => entityLabel(e.entityType)),
    firstLines: events.slice(0, DIGEST_FIRST_LINES).map((e) => summarizeEvent(e, names)),
    csv: {
      kind: 'file',
      title: `Alert digest — ${events.length.toLocaleString('en-US')} events`,
      query: rules.map((r) => r.query).join(' | '),
      window: { start: times[0] ?? new Date(now).toISOString(), end: times.at(-1) ?? new Date(now).toISOString() },
      totalRows: events.length,
      parts,
    },
  };
}
