import type { Application } from '@microsoft/teams-ai';
import { type ConversationReference, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { conversationStateKey, type StoredConversation } from '../alert-notifier.js';
import { askBot, deliverReply, runCommand, type TeamsDeps } from '../deliver.js';
import { teamsRequest } from '../request.js';
import { VERBS } from '../verbs.js';

const DetailsData = z.object({ eventId: z.string().min(1).max(200) });
const MuteData = z.object({ ruleId: z.string().min(1).max(50), duration: z.enum(['1h', '24h']) });

/** Alert card buttons: Details (`show`) and Mute rule (`alerts mute`), both through the bot's admin check. */
export function registerAlertActions(app: Application, deps: TeamsDeps): void {
  app.adaptiveCards.actionSubmit(VERBS.alertDetails, async (context, _state, data) => {
    const parsed = DetailsData.safeParse(data);
    if (parsed.success) await runCommand(context, deps, `show ${parsed.data.eventId}`);
  });
  app.adaptiveCards.actionSubmit(VERBS.alertMute, async (context, _state, data) => {
    const parsed = MuteData.safeParse(data);
    if (parsed.success) await runCommand(context, deps, `alerts mute ${parsed.data.ruleId} ${parsed.data.duration}`);
  });
}

/** Alerts are new posts, not replies to the `alerts here` message: its activity id is dropped. */
function withConversationId(reference: Partial<ConversationReference>, id: string): Partial<ConversationReference> {
  const { activityId: _reply, ...rest } = reference;
  return rest.conversation ? { ...rest, conversation: { ...rest.conversation, id } } : rest;
}

/**
 * `audit alerts here`: the bot (admins only) points the default rules at this conversation; when it
 * agreed, the conversation reference is stored so alerts can be posted here later, unprompted.
 */
export async function alertsHere(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const request = teamsRequest(context.activity);
  // A channel message's conversation id carries `;messageid=…`: without it, alerts start new threads.
  const key = context.activity.conversation.id.split(';')[0] ?? context.activity.conversation.id;
  const reply = await askBot(deps, request, `alerts here ${key}`);
  if (reply.kind === 'alert-rules') {
    const stored: StoredConversation = {
      reference: withConversationId(TurnContext.getConversationReference(context.activity), key),
      baseUrl: deps.baseUrl(context),
    };
    await deps.auditbot.store.setState(conversationStateKey(key), stored);
  }
  await deliverReply(context, deps, request, reply, { query: '' });
}
