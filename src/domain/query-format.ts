import { type AuditQuery, LIST_FIELDS, type ListField, type TimePoint, type ValueFilter } from './audit-query.js';

/** A qualifier value is read up to whitespace or a comma; a quote would start a quoted part. */
function valueText(value: string): string {
  return value === '' || /[\s,"]/.test(value) ? quote(value) : value;
}

/** A bare term must not read as a qualifier (`:`), as an exclusion (`-`) or as several words. */
function termText(term: string): string {
  return term === '' || /[\s":]/.test(term) || term.startsWith('-') ? quote(term) : term;
}

function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&')}"`;
}

function timePointText(point: TimePoint): string {
  return point.kind === 'ago' ? `${point.amount}${point.unit}` : valueText(point.iso);
}

/**
 * The canonical text of a query: list qualifiers in `LIST_FIELDS` order (include, then exclude),
 * then impersonated, when, since, until, then free text. `parseQuery` reads it back unchanged.
 */
export function formatQuery(query: AuditQuery): string {
  const parts: string[] = [];
  for (const field of LIST_FIELDS) {
    const filter = query.filters[field];
    if (filter?.include.length) parts.push(`${field}:${filter.include.map(valueText).join(',')}`);
    if (filter?.exclude.length) parts.push(`-${field}:${filter.exclude.map(valueText).join(',')}`);
  }
  if (query.impersonated !== undefined) parts.push(`impersonated:${query.impersonated ? 'yes' : 'no'}`);
  if (query.when) parts.push(`when:${query.when}`);
  if (query.since) parts.push(`since:${timePointText(query.since)}`);
  if (query.until) parts.push(`until:${timePointText(query.until)}`);
  parts.push(...query.text.map(termText));
  return parts.join(' ');
}

const UNIT_NAMES = { m: 'minute', h: 'hour', d: 'day', w: 'week' } as const;
const PRESET_PHRASES = {
  today: 'today',
  '24h': 'in the last 24 hours',
  '7d': 'in the last 7 days',
  '30d': 'in the last 30 days',
  '90d': 'in the last 90 days',
} as const;

/** How each list qualifier reads in a sentence: "by alice", "on ringgroup", … */
const FIELD_PHRASES: Record<Exclude<ListField, 'op'>, string> = {
  who: 'by',
  entity: 'on',
  app: 'in',
  region: 'in region',
  key: 'for key',
  via: 'via',
  corr: 'in change set',
};

function either(values: string[]): string {
  return values.length <= 1 ? (values[0] ?? '') : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
}

function phrase(filter: ValueFilter | undefined, lead: string): string[] {
  if (!filter) return [];
  const parts: string[] = [];
  if (filter.include.length) parts.push(`${lead} ${either(filter.include)}`);
  if (filter.exclude.length) parts.push(`not ${lead} ${either(filter.exclude)}`);
  return parts;
}

function pointPhrase(point: TimePoint): string {
  if (point.kind === 'instant') return point.iso;
  return `${point.amount} ${UNIT_NAMES[point.unit]}${point.amount === 1 ? '' : 's'} ago`;
}

function timePhrase(query: AuditQuery): string[] {
  if (query.when) return [PRESET_PHRASES[query.when]];
  const { since, until } = query;
  if (since?.kind === 'ago' && !until) {
    return [
      `in the last ${since.amount === 1 ? '' : `${since.amount} `}${UNIT_NAMES[since.unit]}${since.amount === 1 ? '' : 's'}`,
    ];
  }
  return [...(since ? [`since ${pointPhrase(since)}`] : []), ...(until ? [`until ${pointPhrase(until)}`] : [])];
}

/** A short sentence for a query ("delete events by alice in the last 7 days"), for echoes and alert names. */
export function describeQuery(query: AuditQuery): string {
  const ops = query.filters.op;
  const subject = ops?.include.length ? `${either(ops.include)} events` : 'events';
  const parts = [subject, ...(ops?.exclude.length ? [`except ${either(ops.exclude)}`] : [])];
  for (const field of LIST_FIELDS) {
    if (field !== 'op') parts.push(...phrase(query.filters[field], FIELD_PHRASES[field]));
  }
  if (query.impersonated !== undefined) parts.push(query.impersonated ? 'made by impersonation' : 'not impersonated');
  if (query.text.length) parts.push(`matching ${query.text.map((t) => `"${t}"`).join(' and ')}`);
  parts.push(...timePhrase(query));
  return parts.join(' ');
}
