import {
  type AuditQuery,
  LIST_FIELDS,
  type ListField,
  type ParseResult,
  type QueryError,
  type TimePoint,
  type ValueFilter,
  type WhenPreset,
} from './audit-query.js';
import { type LexedValue, lexQuery, type QueryToken } from './query-lexer.js';
import { checkQueryText, checkTerm, QUERY_LIMITS, termsLimitMessage, valuesLimitMessage } from './query-limits.js';
import {
  type Checked,
  checkApplication,
  checkImpersonated,
  checkOperation,
  checkRegion,
  checkTimePoint,
  checkWhen,
  closestMatch,
} from './query-values.js';
import { isIsoDate } from './time-range.js';

export { describeQuery, formatQuery } from './query-format.js';

const SINGLE_FIELDS = ['impersonated', 'when', 'since', 'until'] as const;
type SingleField = (typeof SINGLE_FIELDS)[number];
export const QUALIFIER_NAMES: readonly string[] = [...LIST_FIELDS, ...SINGLE_FIELDS];

/** Names people reach for first (other tools, the API's field names), for "did you mean". */
const QUALIFIER_ALIASES: Record<string, string> = {
  usr: 'who',
  user: 'who',
  by: 'who',
  actor: 'who',
  audituserid: 'who',
  type: 'entity',
  entitytype: 'entity',
  operation: 'op',
  action: 'op',
  event: 'op',
  eventtype: 'op',
  application: 'app',
  service: 'app',
  entitykey: 'key',
  id: 'key',
  accessmethod: 'via',
  method: 'via',
  correlation: 'corr',
  correlationid: 'corr',
  impersonator: 'impersonated',
  date: 'when',
  from: 'since',
  after: 'since',
  to: 'until',
  before: 'until',
};

/** A value to show after "like", so an empty qualifier's error says what goes there. */
const EXAMPLES: Record<string, string> = {
  who: 'who:alice',
  op: 'op:delete',
  entity: 'entity:ringgroup',
  app: 'app:cc',
  region: 'region:uk-eu',
  key: 'key:<entity id>',
  via: 'via:api',
  corr: 'corr:<correlation id>',
  impersonated: 'impersonated:yes',
  when: 'when:7d',
  since: 'since:2026-11-01',
  until: 'until:2026-11-20',
};

/** Values checked against a closed set; the other list fields are free-form and keep their case. */
const LIST_CHECKS: Partial<Record<ListField, (typed: string) => Checked<string>>> = {
  op: checkOperation,
  app: checkApplication,
  region: checkRegion,
};

type QualifierToken = Extract<QueryToken, { kind: 'qualifier' }>;

function isListField(name: string): name is ListField {
  return (LIST_FIELDS as readonly string[]).includes(name);
}

function isSingleField(name: string): name is SingleField {
  return (SINGLE_FIELDS as readonly string[]).includes(name);
}

/**
 * Parses the `/audit` query language (ARCHITECTURE §4) into an `AuditQuery`. Never throws: every
 * problem in the text comes back as a `QueryError` with its position, all of them at once.
 */
export function parseQuery(text: string): ParseResult {
  const refused = checkQueryText(text);
  if (refused.length > 0) return { ok: false, errors: refused };
  const { tokens, errors } = lexQuery(text);
  const builder = new QueryBuilder(errors);
  for (const token of tokens) {
    if (token.kind === 'text') builder.addText(token);
    else builder.addQualifier(token);
  }
  builder.checkTimeConflict();
  builder.checkLimits(text);
  if (errors.length > 0) return { ok: false, errors: [...errors].sort((a, b) => a.position - b.position) };
  return { ok: true, query: builder.query() };
}

class QueryBuilder {
  private readonly filters: Partial<Record<ListField, ValueFilter>> = {};
  private readonly text: string[] = [];
  private impersonated?: boolean;
  private when?: WhenPreset;
  private since?: TimePoint;
  private until?: TimePoint;
  /** Where each single-valued qualifier was first given, to point at conflicts. */
  private readonly seen = new Map<SingleField, QualifierToken>();

  constructor(private readonly errors: QueryError[]) {}

  query(): AuditQuery {
    const query: AuditQuery = { filters: this.filters, text: this.text };
    if (this.impersonated !== undefined) query.impersonated = this.impersonated;
    if (this.when) query.when = this.when;
    if (this.since) query.since = this.since;
    if (this.until) query.until = this.until;
    return query;
  }

  addText(token: Extract<QueryToken, { kind: 'text' }>): void {
    if (token.negated) {
      const word = token.term.text;
      this.fail(
        token.start,
        token.end - token.start,
        `free text can't be excluded (\`-${word}\`) — remove the \`-\`, or quote it (\`"-${word}"\`) to search for it`,
      );
      return;
    }
    // `""` asks for nothing; a blank term would only make full-text search fail.
    if (token.term.text.trim() === '') return;
    const problem = checkTerm(token.term.text);
    if (problem) this.fail(token.start, token.end - token.start, problem);
    else this.text.push(token.term.text);
  }

  /** The limits of QUERY_LIMITS over the whole query, pointing at the text as a whole. */
  checkLimits(text: string): void {
    if (this.text.length > QUERY_LIMITS.maxTerms) this.fail(0, text.length, termsLimitMessage(this.text.length));
    const values = Object.values(this.filters).reduce((n, f) => n + f.include.length + f.exclude.length, 0);
    if (values > QUERY_LIMITS.maxValues) this.fail(0, text.length, valuesLimitMessage(values));
  }

  addQualifier(token: QualifierToken): void {
    const name = token.name.toLowerCase();
    if (isListField(name)) this.addListValues(name, token);
    else if (isSingleField(name)) this.addSingleValue(name, token);
    else this.unknownQualifier(token);
  }

  checkTimeConflict(): void {
    const when = this.seen.get('when');
    if (when && (this.seen.has('since') || this.seen.has('until'))) {
      this.fail(
        when.start,
        when.end - when.start,
        "`when:` can't be combined with `since:`/`until:` — use a preset or a custom range, not both",
      );
    }
  }

  private addListValues(field: ListField, token: QualifierToken): void {
    const filter = this.filters[field] ?? { include: [], exclude: [] };
    const target = token.negated ? filter.exclude : filter.include;
    for (const value of this.presentValues(token)) {
      const checked = LIST_CHECKS[field]?.(value.text) ?? { ok: true, value: value.text };
      if (!checked.ok) this.fail(value.start, value.end - value.start, checked.message, checked.suggestion);
      else if (!target.includes(checked.value)) target.push(checked.value);
    }
    if (filter.include.length > 0 || filter.exclude.length > 0) this.filters[field] = filter;
  }

  private addSingleValue(field: SingleField, token: QualifierToken): void {
    if (token.values.length > 1) {
      this.fail(token.start, token.end - token.start, `\`${field}:\` takes one value, not a list — keep one of them`);
      return;
    }
    const [value] = this.presentValues(token);
    if (!value) return;
    if (token.negated) {
      this.negatedSingle(field, token, value);
      return;
    }
    const checked = checkSingle(field, value.text);
    if (!checked.ok) {
      this.fail(value.start, value.end - value.start, checked.message, checked.suggestion);
      return;
    }
    const first = this.seen.get(field);
    if (first && JSON.stringify(this[field]) !== JSON.stringify(checked.value.value)) {
      this.fail(token.start, token.end - token.start, `\`${field}:\` is given twice with different values — keep one`);
      return;
    }
    if (!first) this.seen.set(field, token);
    this.assign(checked.value);
  }

  private assign(single: SingleValue): void {
    if (single.field === 'impersonated') this.impersonated = single.value;
    else if (single.field === 'when') this.when = single.value;
    else this[single.field] = single.value;
  }

  /** Values that are present and non-blank; empty ones are reported here, open quotes by the lexer. */
  private presentValues(token: QualifierToken): LexedValue[] {
    const name = token.name.toLowerCase();
    const only = token.values.length === 1;
    const present: LexedValue[] = [];
    for (const value of token.values) {
      if (value.unterminated) continue;
      if (value.text.trim() !== '') present.push(value);
      else if (only)
        this.fail(token.start, token.end - token.start, `\`${name}:\` needs a value, like \`${EXAMPLES[name]}\``);
      else
        this.fail(value.start - 1, value.end - value.start + 1, `empty value in \`${name}:\` — remove the extra comma`);
    }
    return present;
  }

  private negatedSingle(field: SingleField, token: QualifierToken, value: LexedValue): void {
    const at = token.start;
    const length = token.end - token.start;
    if (field === 'impersonated') {
      const checked = checkImpersonated(value.text);
      const flipped = checked.ok ? `impersonated:${checked.value ? 'no' : 'yes'}` : undefined;
      const hint = flipped ? `write \`${flipped}\`` : 'write `impersonated:yes` or `impersonated:no`';
      this.fail(at, length, `\`impersonated:\` can't be excluded — ${hint}`, flipped);
      return;
    }
    if (field === 'since') {
      // "not since X" is "until X" exactly, except for a whole day, which `until:` includes.
      const checked = checkTimePoint('since', value.text);
      const exact = checked.ok && !(checked.value.kind === 'instant' && isIsoDate(checked.value.iso));
      const flipped = exact ? `until:${value.text}` : undefined;
      this.fail(at, length, "`since:` can't be excluded — use `until:` for events before a time", flipped);
      return;
    }
    const instead =
      field === 'until' ? 'use `since:` for events after a time' : 'use `since:`/`until:` for a custom range';
    this.fail(at, length, `\`${field}:\` can't be excluded — ${instead}`);
  }

  private unknownQualifier(token: QualifierToken): void {
    const lower = token.name.toLowerCase();
    const near = closestMatch(lower, QUALIFIER_NAMES, QUALIFIER_ALIASES);
    const typed = `${token.name}:`;
    const length = typed.length;
    if (near) {
      this.fail(token.nameStart, length, `unknown qualifier \`${typed}\` — did you mean \`${near}:\`?`, `${near}:`);
      return;
    }
    const source = `${token.negated ? '-' : ''}${typed}`;
    this.fail(
      token.nameStart,
      length,
      `unknown qualifier \`${typed}\` — use one of ${QUALIFIER_NAMES.join(', ')}, or quote it (\`"${source}…"\`) to search for the text`,
    );
  }

  private fail(position: number, length: number, message: string, suggestion?: string): void {
    this.errors.push(
      suggestion === undefined ? { position, length, message } : { position, length, message, suggestion },
    );
  }
}

type SingleValue =
  | { field: 'impersonated'; value: boolean }
  | { field: 'when'; value: WhenPreset }
  | { field: 'since' | 'until'; value: TimePoint };

function checkSingle(field: SingleField, typed: string): Checked<SingleValue> {
  if (field === 'impersonated') return mapChecked(checkImpersonated(typed), (value) => ({ field, value }));
  if (field === 'when') return mapChecked(checkWhen(typed), (value) => ({ field, value }));
  return mapChecked(checkTimePoint(field, typed), (value) => ({ field, value }));
}

function mapChecked<A, B>(checked: Checked<A>, wrap: (value: A) => B): Checked<B> {
  return checked.ok ? { ok: true, value: wrap(checked.value) } : checked;
}
