import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { ConversationReference, TurnContext } from 'botbuilder';
import { AlertDeliveryError, type AlertNotifier } from '../../src/alerts/notifier.js';
import type { AlertDestination } from '../../src/alerts/rules.js';
import type { EventStore } from '../../src/store/event-store.js';
import { renderAlertCard, renderDigestCard } from './render/alert.js';
import type { AdaptiveCard } from './render/card.js';
import type { ReportLinks } from './report-links.js';
import { cardMessage } from './send.js';

/** What `audit alerts here` stores: how to reach the conversation later, and where links point. */
export interface StoredConversation {
  reference: Partial<ConversationReference>;
  baseUrl: string;
}

export const conversationStateKey = (conversationKey: string) => `teams:alert-conversation:${conversationKey}`;

/** The Bot Connector's throttling and transient statuses (PLATFORM-FACTS, Teams). */
const RETRYABLE = new Set([412, 429, 500, 502, 503, 504]);

function classify(error: unknown): AlertDeliveryError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    statusCode?: number;
    message?: string;
    response?: { status?: number; headers?: { get?(name: string): string | undefined } };
  };
  const status = e.statusCode ?? e.response?.status;
  const retryAfter = Number(e.response?.headers?.get?.('retry-after'));
  const message = e.message ?? String(error);
  if (status === undefined) return new AlertDeliveryError(message, true);
  return new AlertDeliveryError(
    `Bot Connector answered ${status}: ${message}`,
    RETRYABLE.has(status),
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null,
  );
}

/**
 * Proactive alerts: continueConversationAsync with the reference `audit alerts here` stored, one
 * card per alert; digests link to their CSV through the report-link route (channels cannot take a
 * file from a bot).
 */
export function createTeamsAlertNotifier(options: {
  adapter: Pick<TeamsAdapter, 'continueConversationAsync'>;
  appId: string | null;
  store: EventStore;
  links: ReportLinks;
  publicUrl: string | null;
}): AlertNotifier {
  const conversation = async (destination: AlertDestination): Promise<StoredConversation> => {
    if (destination.platform !== 'teams') throw new AlertDeliveryError('not a Teams destination', false);
    const stored = await options.store.getState<StoredConversation>(conversationStateKey(destination.conversationKey));
    if (!stored)
      throw new AlertDeliveryError(
        `no conversation reference for ${destination.conversationKey}: run \`audit alerts here\` in that channel`,
        false,
      );
    return stored;
  };
  const send = async (stored: StoredConversation, card: AdaptiveCard): Promise<{ messageId: string }> => {
    let messageId = '';
    try {
      await options.adapter.continueConversationAsync(
        options.appId ?? '',
        stored.reference,
        async (context: TurnContext) => {
          // The continuation activity carries a made-up id that sendActivity would turn into replyToId
          // (a reply to nothing); without it the alert is a new post in the channel.
          context.activity.id = undefined;
          messageId = (await context.sendActivity(cardMessage(card)))?.id ?? '';
        },
      );
    } catch (error) {
      throw classify(error);
    }
    return { messageId };
  };
  return {
    platform: 'teams',
    async post(destination, alert) {
      return send(await conversation(destination), renderAlertCard(alert));
    },
    async postDigest(destination, digest) {
      const stored = await conversation(destination);
      const part = digest.csv.parts[0];
      const tenantId = stored.reference.conversation?.tenantId ?? '';
      // Several parts only past 50,000 rows; each gets its own link line through the first card's text.
      const url = part
        ? await options.links.create(
            {
              customerId: digest.customerId,
              teamsTenantId: tenantId,
              principal: { platform: 'teams', id: 'auditbot-alerts', name: 'auditbot alerts' },
              path: part.path,
              name: part.name,
              rows: part.rows,
              query: digest.csv.query,
            },
            options.publicUrl ?? stored.baseUrl,
          )
        : null;
      return send(stored, renderDigestCard(digest, url ? { url, minutes: options.links.minutes } : null));
    },
  };
}
