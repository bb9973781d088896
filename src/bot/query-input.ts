import type { AuditQuery, QueryError } from '../domain/audit-query.js';
import type { EventFilter, TimeRange } from '../domain/event-filter.js';
import { formatQuery, parseQuery } from '../domain/query-language.js';
import { resolveQuery } from '../domain/resolve-query.js';
import type { NoticeReply } from '../replies/reply.js';
import type { CommandContext } from './context.js';

export interface ResolvedInput {
  query: AuditQuery;
  canonical: string;
  filter: EventFilter;
  window: TimeRange;
  clamped: boolean;
}

/** "unknown qualifier `usr:` — did you mean `who:`?" with a caret under the spot, for every error. */
export function queryErrorNotice(text: string, errors: QueryError[]): NoticeReply {
  const lines = errors.map((e) => {
    const at =
      e.position < text.length
        ? ` (at "${text.slice(e.position, e.position + Math.max(e.length, 1))}", column ${e.position + 1})`
        : '';
    return `${e.message}${at}`;
  });
  const suggestion = errors.find((e) => e.suggestion)?.suggestion;
  return {
    kind: 'notice',
    level: 'error',
    text: lines.join('\n'),
    hint: suggestion
      ? `Try \`${suggestion}\`, or type \`help\` for the query language.`
      : 'Type `help` for the query language.',
  };
}

/**
 * Parses and resolves a typed query for this tenant. auditbot's own access log (`service:
 * auditbot`) is left out unless asked for with `app:auditbot`, so reading does not bury changes.
 */
export async function resolveInput(ctx: CommandContext, text: string): Promise<ResolvedInput | NoticeReply> {
  const parsed = parseQuery(text);
  if (!parsed.ok) return queryErrorNotice(text, parsed.errors);
  const actors = await ctx.actors.list(ctx.tenant.customerId);
  const resolved = resolveQuery(parsed.query, {
    customerId: ctx.tenant.customerId,
    now: ctx.now,
    retentionDays: ctx.config.retentionDays,
    actors,
  });
  if (!resolved.ok)
    return { kind: 'notice', level: 'error', text: resolved.error, hint: 'Type `help` for the query language.' };
  const filter = resolved.filter;
  if (!filter.services || filter.services.include.length === 0) {
    const exclude = filter.services?.exclude ?? [];
    filter.services = { include: [], exclude: exclude.includes('auditbot') ? exclude : [...exclude, 'auditbot'] };
  }
  return {
    query: parsed.query,
    canonical: formatQuery(parsed.query),
    filter,
    window: resolved.window,
    clamped: resolved.clamped,
  };
}

export function isNotice(value: ResolvedInput | NoticeReply): value is NoticeReply {
  return 'kind' in value && value.kind === 'notice';
}
