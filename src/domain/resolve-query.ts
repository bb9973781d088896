import { entityTypeKey } from './audit-event.js';
import { APPLICATIONS, type AuditQuery, type ValueFilter } from './audit-query.js';
import type { EventFilter, TimeRange } from './event-filter.js';
import { queryRange } from './time-range.js';

export interface ResolveContext {
  customerId: string;
  now: number;
  retentionDays: number;
  /** The tenant's known actors, to turn `who:alice` into ids. */
  actors: { id: string; name: string | null }[];
}

export type ResolvedQuery =
  | { ok: true; filter: EventFilter; window: TimeRange; clamped: boolean }
  | { ok: false; error: string };

/**
 * Turns a parsed query into what an `EventStore` executes for one tenant at one moment: names to
 * ids, `app:` to services, the time qualifiers to a window inside the retention period. Pure.
 */
export function resolveQuery(query: AuditQuery, ctx: ResolveContext): ResolvedQuery {
  const window = queryRange(query, ctx.now, ctx.retentionDays);
  if ('error' in window) return { ok: false, error: window.error };

  const { filters } = query;
  const filter: EventFilter = { customerId: ctx.customerId, range: window.range };
  setFilter(filter, 'eventTypes', mapFilter(filters.op, operationEventTypes));
  setFilter(
    filter,
    'services',
    mapFilter(filters.app, (app) => [applicationService(app)]),
  );
  setFilter(
    filter,
    'entityTypes',
    mapFilter(filters.entity, (type) => [entityTypeKey(type)]),
  );
  setFilter(filter, 'regions', filters.region);
  setFilter(filter, 'entityKeys', filters.key);
  setFilter(
    filter,
    'actors',
    mapFilter(filters.who, (who) => actorIds(who, ctx.actors)),
  );
  setFilter(filter, 'accessMethods', filters.via);
  setFilter(filter, 'correlationIds', filters.corr);
  if (query.impersonated !== undefined) filter.impersonated = query.impersonated;
  if (query.text.length > 0) filter.text = [...query.text];
  return { ok: true, filter, window: window.range, clamped: window.clamped };
}

type ValueFilterKey = {
  [K in keyof EventFilter]-?: NonNullable<EventFilter[K]> extends ValueFilter ? K : never;
}[keyof EventFilter];

function setFilter(filter: EventFilter, key: ValueFilterKey, value: ValueFilter | undefined): void {
  if (value && (value.include.length > 0 || value.exclude.length > 0)) {
    filter[key] = { include: [...value.include], exclude: [...value.exclude] };
  }
}

/** Expands each value and drops repeats, keeping first-seen order. */
function mapFilter(filter: ValueFilter | undefined, expand: (value: string) => string[]): ValueFilter | undefined {
  if (!filter) return undefined;
  const map = (values: string[]) => [...new Set(values.flatMap(expand))];
  return { include: map(filter.include), exclude: map(filter.exclude) };
}

/** The API reports reads as `view`; the language calls both `read`. */
function operationEventTypes(op: string): string[] {
  return op === 'read' || op === 'view' ? ['read', 'view'] : [op];
}

function applicationService(app: string): string {
  return Object.hasOwn(APPLICATIONS, app) ? APPLICATIONS[app as keyof typeof APPLICATIONS] : app;
}

/**
 * Ids of the actors a `who:` value names: an exact id (any case), or a name with a word starting
 * with it ("mart" → "Alice Martin"). An unknown value stays as a literal id, so the search finds
 * nothing rather than everything.
 */
export function actorIds(who: string, actors: ResolveContext['actors']): string[] {
  const wanted = who.toLowerCase();
  if (wanted === '') return [who];
  const ids = actors.filter((a) => a.id.toLowerCase() === wanted || nameHasWordPrefix(a.name, wanted)).map((a) => a.id);
  return ids.length > 0 ? [...new Set(ids)] : [who];
}

function nameHasWordPrefix(name: string | null, wanted: string): boolean {
  if (!name) return false;
  const lower = name.toLowerCase();
  for (let at = lower.indexOf(wanted); at !== -1; at = lower.indexOf(wanted, at + 1)) {
    if (at === 0 || !/[\p{L}\p{N}]/u.test(lower[at - 1] as string)) return true;
  }
  return false;
}
