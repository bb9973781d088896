import type { Activity } from 'botbuilder';
import type { Workspace } from '../../src/access/access.js';
import type { Principal } from '../../src/access/principal.js';

export type TeamsScope = 'personal' | 'groupChat' | 'channel';

/** Who asks, in which Teams tenant and which kind of conversation. */
export interface TeamsRequest {
  principal: Principal;
  workspace: Workspace;
  scope: TeamsScope;
}

interface TeamsChannelData {
  tenant?: { id?: string };
}

export function teamsRequest(activity: Activity): TeamsRequest {
  const channelData = (activity.channelData ?? {}) as TeamsChannelData;
  const tenantId = channelData.tenant?.id ?? activity.conversation?.tenantId ?? '';
  const type = activity.conversation?.conversationType;
  const scope: TeamsScope = type === 'channel' ? 'channel' : type === 'groupChat' ? 'groupChat' : 'personal';
  // Admins are configured by AAD object id (`teams:<aadObjectId>`); the Teams user id (29:…) is a
  // fallback that never matches an admin, so such a sender is refused rather than mistaken.
  const id = activity.from?.aadObjectId ?? activity.from?.id ?? 'unknown';
  return {
    principal: { platform: 'teams', id, ...(activity.from?.name ? { name: activity.from.name } : {}) },
    workspace: { platform: 'teams', tenantId },
    scope,
  };
}

const ENTITIES: Record<string, string> = {
  '&nbsp;': ' ',
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/** Mentions (`<at>auditbot</at>`) and the HTML entities Teams puts in message text, removed. */
export function plainMessageText(text: string): string {
  return text
    .replace(/<at>[\s\S]*?<\/at>/gi, ' ')
    .replace(/&(nbsp|amp|lt|gt|quot|#39);/g, (m) => ENTITIES[m] ?? m)
    .replace(/\u00a0/g, ' ')
    .trim();
}

function mentionsBot(activity: Activity): boolean {
  return (activity.entities ?? []).some(
    (e) => e.type === 'mention' && (e as { mentioned?: { id?: string } }).mentioned?.id === activity.recipient?.id,
  );
}

/**
 * The command for the bot in a message, or null when the message is not for auditbot.
 * `audit <…>` works everywhere; in personal chat, or when the bot is @mentioned, the word `audit`
 * may be left out (a bare query).
 */
export function commandText(activity: Activity, scope: TeamsScope): string | null {
  const text = plainMessageText(activity.text ?? '');
  const prefixed = /^\/?audit(?:\s+([\s\S]*))?$/i.exec(text);
  if (prefixed) return (prefixed[1] ?? '').trim();
  if (scope === 'personal' || mentionsBot(activity)) return text;
  return null;
}
