import type { AuditQuery, ListField, ValueFilter } from '../domain/audit-query.js';
import { formatQuery, parseQuery } from '../domain/query-language.js';
import { checkOperation, checkRegion, checkTimePoint, checkWhen } from '../domain/query-values.js';
import type { FilterValues } from '../replies/reply.js';

export type FilterErrors = Partial<Record<keyof FilterValues, string>>;

function include(values: string[]): ValueFilter | undefined {
  const clean = [...new Set(values.map((v) => v.trim()).filter(Boolean))];
  return clean.length ? { include: clean, exclude: [] } : undefined;
}

/**
 * Filter form (Slack modal, Teams dialog) → canonical query text, or an error per field so the
 * form can show it next to the input. The search-text field may itself hold query syntax.
 */
export function queryFromFilterValues(
  values: FilterValues,
): { ok: true; text: string } | { ok: false; errors: FilterErrors } {
  const errors: FilterErrors = {};
  const parsedText = parseQuery(values.text ?? '');
  const query: AuditQuery = parsedText.ok ? parsedText.query : { filters: {}, text: [] };
  if (!parsedText.ok) errors.text = parsedText.errors.map((e) => e.message).join('; ');

  const set = (field: ListField, filter: ValueFilter | undefined) => {
    if (!filter) return;
    const existing = query.filters[field];
    query.filters[field] = existing
      ? { include: [...new Set([...existing.include, ...filter.include])], exclude: existing.exclude }
      : filter;
  };
  set('who', include(values.who));
  const ops: string[] = [];
  for (const op of values.ops) {
    const checked = checkOperation(op);
    if (checked.ok) ops.push(checked.value);
    else errors.ops = checked.message;
  }
  set('op', include(ops));
  set('entity', include(values.entities));
  if (values.app) set('app', { include: [values.app], exclude: [] });
  if (values.region) {
    const checked = checkRegion(values.region);
    if (checked.ok) set('region', { include: [checked.value], exclude: [] });
    else errors.region = checked.message;
  }
  if (values.when) {
    const checked = checkWhen(values.when);
    if (checked.ok) query.when = checked.value;
    else errors.when = checked.message;
  }
  for (const edge of ['since', 'until'] as const) {
    const raw = values[edge]?.trim();
    if (!raw) continue;
    const checked = checkTimePoint(edge, raw);
    if (checked.ok) query[edge] = checked.value;
    else errors[edge] = checked.message;
  }
  if (query.when && (query.since || query.until)) errors.when = 'Choose a preset or a custom start/end, not both.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const text = formatQuery(query);
  const reparsed = parseQuery(text);
  if (!reparsed.ok) return { ok: false, errors: { text: reparsed.errors.map((e) => e.message).join('; ') } };
  return { ok: true, text };
}
