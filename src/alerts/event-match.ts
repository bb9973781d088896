import { type AuditEvent, detailsText, entityTypeKey } from '../domain/audit-event.js';
import type { ValueFilter } from '../domain/audit-query.js';
import type { EventFilter } from '../domain/event-filter.js';
import { fieldWords, searchTerms, wordsMatch } from '../domain/search-words.js';

function valueMatches(filter: ValueFilter | undefined, value: string | null): boolean {
  if (!filter) return true;
  if (filter.include.length > 0 && (value === null || !filter.include.includes(value))) return false;
  return value === null || !filter.exclude.includes(value);
}

/** The event's searched fields, as the stores index them (SEARCHED_FIELDS). */
function searchedFieldWords(event: AuditEvent): string[] {
  return fieldWords([
    event.displayName,
    event.entityKey,
    event.entityType,
    event.auditUserId,
    event.impersonator,
    detailsText(event),
  ]);
}

/**
 * Whether one event matches a resolved filter, in memory, the way the store's SQL would — except
 * the time range, which alerting replaces with its own freshness rule. Lets the matcher test each
 * new event against every rule without one query per rule.
 */
export function eventMatches(filter: EventFilter, event: AuditEvent): boolean {
  if (event.customerId !== filter.customerId) return false;
  if (!valueMatches(filter.eventTypes, event.eventType)) return false;
  if (!valueMatches(filter.services, event.service)) return false;
  if (!valueMatches(normalised(filter.entityTypes), entityTypeKey(event.entityType))) return false;
  if (!valueMatches(filter.regions, event.region)) return false;
  if (!valueMatches(filter.entityKeys, event.entityKey)) return false;
  if (!valueMatches(filter.actors, event.auditUserId)) return false;
  if (!valueMatches(filter.accessMethods, event.accessMethod)) return false;
  if (!valueMatches(filter.correlationIds, event.correlationId)) return false;
  if (filter.impersonated !== undefined && (event.impersonator !== null) !== filter.impersonated) return false;
  const terms = searchTerms(filter.text ?? []);
  return terms.length === 0 || wordsMatch(searchedFieldWords(event), terms);
}

function normalised(filter: ValueFilter | undefined): ValueFilter | undefined {
  if (!filter) return undefined;
  return { include: filter.include.map(entityTypeKey), exclude: filter.exclude.map(entityTypeKey) };
}
