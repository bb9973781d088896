import { randomUUID } from 'node:crypto';
import { principalRef } from '../access/principal.js';
import type { AuditEvent } from '../domain/audit-event.js';
import type { CommandContext } from './context.js';

export interface AccessRecord {
  /** read / export for queries, views and reports; create / update / delete for alert-rule changes. */
  eventType: AuditEvent['eventType'];
  /** `query`, `event`, `report`, `alert rule`. */
  entityType: string;
  entityKey: string;
  displayName: string;
  details: Record<string, unknown>;
}

/**
 * The audit log audits its readers: every query, detail view, export and rule change made through
 * auditbot becomes an event of its own (`service: auditbot`).
 */
export async function recordAccess(ctx: CommandContext, record: AccessRecord): Promise<void> {
  const event: AuditEvent = {
    id: `auditbot-${randomUUID()}`,
    customerId: ctx.tenant.customerId,
    auditTimestamp: new Date(ctx.now).toISOString(),
    eventType: record.eventType,
    service: 'auditbot',
    entityType: record.entityType,
    entityKey: record.entityKey.slice(0, 1000),
    displayName: record.displayName.slice(0, 1000),
    auditUserId: principalRef(ctx.principal),
    impersonator: null,
    details: { ...record.details, via: ctx.principal.platform },
    rawDetails: null,
    correlationType: null,
    correlationId: null,
    accessMethod: `auditbot ${ctx.principal.platform}`,
    region: null,
    source: 'auditbot',
  };
  await ctx.store.append([event]);
}
