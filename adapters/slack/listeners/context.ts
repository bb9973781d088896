import type { RespondArguments, webApi } from '@slack/bolt';
import type { PageRequest } from '../../../src/bot/context.js';
import type { Bot, SubCommand } from '../../../src/bot/router.js';
import type { Logger } from '../../../src/logger.js';
import type { Reply } from '../../../src/replies/reply.js';
import type { SlackMessage } from '../render/text.js';
import type { WorkspaceAdminCheck } from '../workspace-admins.js';

/** What every Slack listener uses; built once by createSlackSurface. */
export interface SlackDeps {
  bot: Bot;
  logger: Logger;
  /** Epoch ms (modal date prefills). */
  clock: () => number;
  workspaceAdmin: WorkspaceAdminCheck;
}

/** The Slack user behind a request, as far as the bot cares. */
export interface SlackUser {
  userId: string;
  userName?: string;
  teamId: string;
}

/** Asks the neutral bot on behalf of a Slack user; tenant binding and the admin check happen there. */
export async function askBot(
  deps: SlackDeps,
  client: webApi.WebClient,
  user: SlackUser,
  text: string,
  page?: PageRequest,
  command?: SubCommand,
): Promise<Reply> {
  const workspaceAdmin = await deps.workspaceAdmin(client, user.userId);
  return deps.bot.handle({
    principal: { platform: 'slack', id: user.userId, ...(user.userName ? { name: user.userName } : {}) },
    workspace: { platform: 'slack', teamId: user.teamId },
    text,
    ...(command ? { command } : {}),
    ...(page ? { page } : {}),
    ...(workspaceAdmin ? { workspaceAdmin: true } : {}),
  });
}

/** `--public` anywhere in the command text asks for an in-channel answer. */
export function splitPublicFlag(text: string): { text: string; public: boolean } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const rest = words.filter((w) => w.toLowerCase() !== '--public');
  return { text: rest.join(' '), public: rest.length !== words.length };
}

/**
 * A response_url body. Only event lists (and what an admin explicitly shares) go in-channel:
 * notices — a refusal above all — stay ephemeral to the person who asked.
 */
export function responseBody(
  reply: Reply,
  message: SlackMessage,
  options: { public?: boolean; replace?: boolean } = {},
): RespondArguments {
  const inChannel = options.public === true && reply.kind !== 'notice';
  return {
    response_type: inChannel ? 'in_channel' : 'ephemeral',
    replace_original: options.replace === true && reply.kind !== 'notice',
    text: message.text,
    blocks: message.blocks,
  };
}

/** POST to a response_url outside a Bolt listener (modal submissions keep the command's URL). */
export async function postToResponseUrl(url: string, body: RespondArguments): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`response_url answered ${response.status}`);
}

/**
 * Store reads are synchronous (better-sqlite3): a command's work would hold the event loop while
 * other requests wait for their ack. Yielding once after ack() lets every request already received
 * be acknowledged first, so acks stay fast under a burst of commands.
 */
export function yieldAfterAck(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
