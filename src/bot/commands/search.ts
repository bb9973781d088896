import type { EventFilter } from '../../domain/event-filter.js';
import type { EventListReply, Reply } from '../../replies/reply.js';
import { summarizeEvent } from '../../replies/summarize.js';
import type { CountedPage } from '../../store/event-store.js';
import type { CommandContext } from '../context.js';
import { eventChanges } from '../event-changes.js';
import { dataFreshness } from '../freshness.js';
import { isNotice, resolveInput } from '../query-input.js';
import { recordAccess } from '../record-access.js';

/** Beyond this many matches a list says "1,000+": counting every match of a broad query is wasted work. */
export const COUNT_CAP = 1000;

/** One page of matches and their count capped at COUNT_CAP + 1, in one read where the store can. */
function pageAndCount(ctx: CommandContext, filter: EventFilter, cursor: string | null): Promise<CountedPage> {
  const options = { limit: ctx.config.pageSize, cursor };
  if (ctx.store.searchCounted) return ctx.store.searchCounted(filter, { ...options, countLimit: COUNT_CAP + 1 });
  return Promise.all([ctx.store.search(filter, options), ctx.store.count(filter, { limit: COUNT_CAP + 1 })]).then(
    ([page, count]) => ({ page, count }),
  );
}

/** `search <query>` (and any text that is not a sub-command): one page of matches, newest first. */
export async function searchCommand(ctx: CommandContext): Promise<Reply> {
  const input = await resolveInput(ctx, ctx.args);
  if (isNotice(input)) return input;
  const customerId = ctx.tenant.customerId;
  const cursor = ctx.page?.cursor ?? null;
  const previousCursors = ctx.page?.previousCursors ?? [];
  const [{ page, count: total }, freshness] = await Promise.all([
    pageAndCount(ctx, input.filter, cursor),
    dataFreshness(ctx.store, customerId),
  ]);
  const names = await ctx.actors.names(
    customerId,
    page.events.flatMap((e) => [e.auditUserId, e.impersonator]),
  );
  await recordAccess(ctx, {
    eventType: 'read',
    entityType: 'query',
    entityKey: input.canonical,
    displayName: `query: ${input.canonical || '(everything)'}`,
    details: { query: input.canonical, total, page: previousCursors.length + 1 },
  });
  const reply: EventListReply = {
    kind: 'event-list',
    query: input.canonical,
    window: { start: new Date(input.window.start).toISOString(), end: new Date(input.window.end).toISOString() },
    clampedToRetention: input.clamped,
    total: Math.min(total, COUNT_CAP),
    totalIsLowerBound: total > COUNT_CAP,
    events: page.events.map((event) => summarizeEvent(event, names)),
    page: previousCursors.length + 1,
    pageSize: ctx.config.pageSize,
    cursor,
    nextCursor: page.nextCursor,
    previousCursors,
    freshness,
  };
  if (ctx.withChanges) {
    const sets = await Promise.all(page.events.map((event) => eventChanges(ctx.store, event)));
    reply.changes = Object.fromEntries(page.events.map((event, i) => [event.id, sets[i]!]));
  }
  return reply;
}
