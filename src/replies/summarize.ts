import type { AuditEvent } from '../domain/audit-event.js';
import type { EventSummary, Person } from './reply.js';

/** Names known for actor ids (auditUserId, impersonator); see ActorDirectory. */
export type NameLookup = ReadonlyMap<string, string | null>;

function person(id: string | null, names: NameLookup): Person | null {
  if (id === null || id === '') return null;
  return { id, name: names.get(id) ?? null };
}

/** One line of an event list, with ids resolved to names where the store knows them. */
export function summarizeEvent(event: AuditEvent, names: NameLookup): EventSummary {
  return {
    id: event.id,
    time: event.auditTimestamp,
    eventType: event.eventType,
    service: event.service,
    entityType: event.entityType,
    entityKey: event.entityKey,
    entityName: event.displayName ?? event.entityKey,
    actor: person(event.auditUserId, names),
    impersonator: person(event.impersonator, names),
    region: event.region,
    accessMethod: event.accessMethod,
    correlation: event.correlationId ? { type: event.correlationType, id: event.correlationId } : null,
  };
}

/** "1,234 events" / "1,000+ events" / "1 event": how many an event list matched. */
export function matchCountText(reply: { total: number; totalIsLowerBound: boolean }): string {
  const n = `${reply.total.toLocaleString('en-US')}${reply.totalIsLowerBound ? '+' : ''}`;
  return `${n} event${reply.total === 1 && !reply.totalIsLowerBound ? '' : 's'}`;
}

/** "1 event matches" / "1,000+ events match". */
export function matchesText(reply: { total: number; totalIsLowerBound: boolean }): string {
  const one = reply.total === 1 && !reply.totalIsLowerBound;
  return `${matchCountText(reply)} ${one ? 'matches' : 'match'}`;
}

/** "Alice Martin" or the id when the name is unknown. */
export function personLabel(p: Person | null): string {
  if (!p) return 'unknown user';
  return p.name ?? p.id;
}

const PAST_TENSE: Record<AuditEvent['eventType'], string> = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
  read: 'viewed',
  view: 'viewed',
  export: 'exported',
  bulk: 'ran a bulk operation on',
};

/** "deleted", "updated", … */
export function actionVerb(eventType: AuditEvent['eventType']): string {
  return PAST_TENSE[eventType];
}

const ENTITY_LABELS: Record<string, string> = {
  ringgroup: 'ring group',
  callqueue: 'call queue',
  autoattendant: 'auto attendant',
  phonenumber: 'phone number',
  callforwardingrule: 'call forwarding rule',
  operatorconnect: 'Operator Connect',
  agentgroup: 'agent group',
  crmproperty: 'CRM property',
};

/** Human label for an entity type: `RingGroup` → "ring group". */
export function entityLabel(entityType: string): string {
  const key = entityType.toLowerCase().replace(/[^a-z0-9]/g, '');
  return ENTITY_LABELS[key] ?? entityType;
}

/** "8x8 support (SUP-81) acting as Alice Martin" or "Alice Martin". */
export function actorPhrase(summary: Pick<EventSummary, 'actor' | 'impersonator'>): string {
  const actor = personLabel(summary.actor);
  if (!summary.impersonator) return actor;
  return `${personLabel(summary.impersonator)} acting as ${actor}`;
}

/** "Alice Martin deleted ring group "Sales – EMEA"" — plain text; renderers escape it for their surface. */
export function eventSentence(summary: EventSummary): string {
  return `${actorPhrase(summary)} ${actionVerb(summary.eventType)} ${entityLabel(summary.entityType)} "${summary.entityName}"`;
}
