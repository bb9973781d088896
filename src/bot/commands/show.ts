import { entityTypeKey } from '../../domain/audit-event.js';
import type { Reply } from '../../replies/reply.js';
import { summarizeEvent } from '../../replies/summarize.js';
import type { CommandContext } from '../context.js';
import { eventChanges } from '../event-changes.js';
import { recordAccess } from '../record-access.js';

/** The Admin Console page for an entity, from the tenant's URL templates (`{entityKey}`, `{customerId}`). */
export function editUrlFor(
  templates: Record<string, string>,
  event: { entityType: string; entityKey: string; customerId: string },
): string | null {
  const wanted = entityTypeKey(event.entityType);
  const template = Object.entries(templates).find(([type]) => entityTypeKey(type) === wanted)?.[1];
  if (!template) return null;
  return template
    .replaceAll('{entityKey}', encodeURIComponent(event.entityKey))
    .replaceAll('{customerId}', encodeURIComponent(event.customerId));
}

/** `show <eventId>`: one event with its changes (final-state-only events diffed against the previous state). */
export async function showCommand(ctx: CommandContext, options: { expanded?: boolean } = {}): Promise<Reply> {
  const id = ctx.args.split(/\s+/)[0] ?? '';
  if (!id)
    return {
      kind: 'notice',
      level: 'error',
      text: 'Which event? `show` needs an event id.',
      hint: 'Copy an id from a search result, e.g. `show 3f2a…`.',
    };
  const customerId = ctx.tenant.customerId;
  const event = await ctx.store.get(customerId, id);
  if (!event) {
    return {
      kind: 'notice',
      level: 'warn',
      text: `No event with id \`${id}\` in this tenant.`,
      hint: 'Ids are case-sensitive; search again to copy one.',
    };
  }
  const [names, link] = await Promise.all([
    ctx.actors.names(customerId, [event.auditUserId, event.impersonator]),
    ctx.store.chain.linkOf(customerId, event.id),
  ]);
  await recordAccess(ctx, {
    eventType: 'read',
    entityType: 'event',
    entityKey: event.id,
    displayName: `event: ${event.displayName ?? event.entityKey}`,
    details: { eventId: event.id },
  });
  return {
    kind: 'event-detail',
    summary: summarizeEvent(event, names),
    event,
    changes: await eventChanges(ctx.store, event),
    editUrl: editUrlFor(ctx.tenant.editUrls, event),
    expanded: options.expanded ?? true,
    chain: link ? { position: link.position, hash: link.hash } : null,
  };
}
