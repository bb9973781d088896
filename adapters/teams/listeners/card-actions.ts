import type { Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import type { TeamsDeps } from '../deliver.js';
import { askBot, deliverReply, runCommand } from '../deliver.js';
import { teamsRequest } from '../request.js';
import { VERBS } from '../verbs.js';

const PageData = z.object({
  query: z.string().max(2000),
  cursor: z.string().max(2000).nullable(),
  previousCursors: z.array(z.string().max(2000).nullable()).max(10_000),
});

const QueryData = z.object({ query: z.string().max(2000).default('') });

/**
 * Action.Submit buttons on auditbot's cards. Each runs through the bot, so a non-admin who presses
 * a button on a card someone else received gets the refusal and nothing else.
 */
export function registerCardActions(app: Application, deps: TeamsDeps): void {
  app.adaptiveCards.actionSubmit(VERBS.page, async (context, _state, data) => {
    const parsed = PageData.safeParse(data);
    if (!parsed.success) return;
    const request = teamsRequest(context.activity);
    const { query, cursor, previousCursors } = parsed.data;
    // `search` keeps a query whose first word is also a sub-command (`show`) a search.
    const reply = await askBot(deps, request, `search ${query}`, { cursor, previousCursors });
    // Only a results page replaces the card; a refusal or error arrives as a message of its own.
    const updateId = reply.kind === 'event-list' ? context.activity.replyToId : undefined;
    await deliverReply(context, deps, request, reply, { query, updateId });
  });

  app.adaptiveCards.actionSubmit(VERBS.report, async (context, _state, data) => {
    const parsed = QueryData.safeParse(data);
    if (!parsed.success) return;
    await runCommand(context, deps, `report ${parsed.data.query}`);
  });
}
