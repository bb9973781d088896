import { OPERATIONS, type TimePoint, WHEN_PRESETS } from '../../domain/audit-query.js';
import { parseQuery } from '../../domain/query-language.js';
import type { FilterFormReply, FilterValues } from '../../replies/reply.js';
import type { CommandContext } from '../context.js';
import { queryErrorNotice } from '../query-input.js';

function timePointText(point: TimePoint | undefined): string | null {
  if (!point) return null;
  return point.kind === 'instant' ? point.iso : `${point.amount}${point.unit}`;
}

/** `filter [query]`: the values a filter modal / dialog opens with, and the choices it offers. */
export async function filterCommand(ctx: CommandContext) {
  const parsed = parseQuery(ctx.args);
  if (!parsed.ok) return queryErrorNotice(ctx.args, parsed.errors);
  const q = parsed.query;
  const customerId = ctx.tenant.customerId;
  const [facets, actors] = await Promise.all([ctx.store.facets(customerId), ctx.actors.list(customerId)]);
  const app = q.filters.app?.include[0];
  const values: FilterValues = {
    app: app === 'platform' || app === 'cc' ? app : null,
    region: q.filters.region?.include[0] ?? null,
    when: q.when ?? null,
    since: timePointText(q.since),
    until: timePointText(q.until),
    who: q.filters.who?.include ?? [],
    ops: q.filters.op?.include ?? [],
    entities: q.filters.entity?.include ?? [],
    text: q.text.map((t) => (/\s/.test(t) ? `"${t}"` : t)).join(' '),
  };
  const regions = [...new Set([...ctx.tenant.regions, ...facets.regions])].sort();
  const reply: FilterFormReply = {
    kind: 'filter-form',
    values,
    choices: {
      regions,
      actors: actors.map((a) => ({ id: a.id, name: a.name })),
      entityTypes: facets.entityTypes,
      operations: OPERATIONS.filter((op) => op !== 'view'),
      presets: [...WHEN_PRESETS],
    },
  };
  return reply;
}
