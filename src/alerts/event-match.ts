import { type AuditEvent, detailsText, entityTypeKey } from '../domain/audit-event.js';
import type { ValueFilter } from '../domain/audit-query.js';
import type { EventFilter } from '../domain/event-filter.js';

function valueMatches(filter: ValueFilter | undefined, value: string | null): boolean {
  if (!filter) return true;
  if (filter.include.length > 0 && (value === null || !filter.include.includes(value))) return false;
  return value === null || !filter.exclude.includes(value);
}

/** Tokens as the store's FTS tokenizer (unicode61, diacritics removed) sees them. */
export function textTokens(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** A term is a phrase whose last token may be a prefix, as `"term"*` in the store's FTS query. */
function phraseOccurs(phrase: string[], tokens: string[]): boolean {
  if (phrase.length === 0) return true;
  const lastAt = phrase.length - 1;
  for (let start = 0; start + phrase.length <= tokens.length; start += 1) {
    let ok = true;
    for (let i = 0; i < phrase.length && ok; i += 1) {
      const token = tokens[start + i] ?? '';
      const want = phrase[i] ?? '';
      ok = i === lastAt ? token.startsWith(want) : token === want;
    }
    if (ok) return true;
  }
  return false;
}

function searchableTokens(event: AuditEvent): string[] {
  return textTokens(
    [
      event.displayName,
      event.entityKey,
      event.entityType,
      event.auditUserId,
      event.impersonator,
      detailsText(event),
    ].join(' '),
  );
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
  const terms = (filter.text ?? []).map(textTokens).filter((phrase) => phrase.length > 0);
  if (terms.length === 0) return true;
  const tokens = searchableTokens(event);
  return terms.every((phrase) => phraseOccurs(phrase, tokens));
}

function normalised(filter: ValueFilter | undefined): ValueFilter | undefined {
  if (!filter) return undefined;
  return { include: filter.include.map(entityTypeKey), exclude: filter.exclude.map(entityTypeKey) };
}
