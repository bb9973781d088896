import type { TurnContext } from 'botbuilder';
import { tenantFor } from '../../src/access/access.js';
import type { Auditbot } from '../../src/app.js';
import type { PageRequest } from '../../src/bot/context.js';
import { routeText } from '../../src/bot/router.js';
import type { Logger } from '../../src/logger.js';
import type { FileReply, Reply } from '../../src/replies/reply.js';
import type { FileUploads } from './file-uploads.js';
import { renderEventList } from './render/event-list.js';
import { renderSimpleReply } from './render/reply.js';
import { renderReportLinks } from './render/report.js';
import type { ReportLinks } from './report-links.js';
import { type TeamsRequest, teamsRequest } from './request.js';
import { cardMessage, sendActivity, updateActivity } from './send.js';

/** Everything the Teams listeners share; built once per surface. */
export interface TeamsDeps {
  auditbot: Auditbot;
  logger: Logger;
  links: ReportLinks;
  uploads: FileUploads;
  /** Origin for report links: AUDITBOT_PUBLIC_URL, else the host the Bot Connector called. */
  baseUrl(context: TurnContext): string;
}

export function askBot(deps: TeamsDeps, request: TeamsRequest, text: string, page?: PageRequest): Promise<Reply> {
  return deps.auditbot.bot.handle({
    principal: request.principal,
    workspace: request.workspace,
    text,
    // Result cards expand each event's changes in place, so lists carry them.
    withChanges: true,
    ...(page ? { page } : {}),
  });
}

async function deliverFile(
  context: TurnContext,
  deps: TeamsDeps,
  request: TeamsRequest,
  reply: FileReply,
): Promise<void> {
  if (request.scope === 'personal') {
    await deps.uploads.offer(context, request, reply);
    return;
  }
  // The bot answered with a file, so the workspace is bound: the same lookup names the customer.
  const customerId = tenantFor(deps.auditbot.config, request.workspace)?.customerId ?? '';
  const teamsTenantId = request.workspace.platform === 'teams' ? request.workspace.tenantId : '';
  const link = (path: string, name: string, rows: number) =>
    deps.links.create(
      { customerId, teamsTenantId, principal: request.principal, path, name, rows, query: reply.query },
      deps.baseUrl(context),
    );
  const links = await Promise.all(
    reply.parts.map(async (part) => ({
      part,
      url: await link(part.path, part.name, part.rows),
      ...(part.proof ? { proofUrl: await link(part.proof.path, part.proof.name, 0) } : {}),
    })),
  );
  await sendActivity(context, cardMessage(renderReportLinks(reply, links, deps.links.minutes)));
}

/**
 * Sends a Reply into the conversation. A results page replaces the card it was paged from when
 * `updateId` is given; everything else is a new message.
 */
export async function deliverReply(
  context: TurnContext,
  deps: TeamsDeps,
  request: TeamsRequest,
  reply: Reply,
  options: { query: string; updateId?: string | undefined },
): Promise<void> {
  switch (reply.kind) {
    case 'event-list': {
      const card = renderEventList(reply, new Map(Object.entries(reply.changes ?? {})));
      if (options.updateId) await updateActivity(context, options.updateId, cardMessage(card));
      else await sendActivity(context, cardMessage(card));
      return;
    }
    case 'file':
      await deliverFile(context, deps, request, reply);
      return;
    default:
      await sendActivity(context, cardMessage(renderSimpleReply(reply, options.query)));
  }
}

/** A typed command (`audit …` without the prefix): ask the bot, deliver what it says. */
export async function runCommand(context: TurnContext, deps: TeamsDeps, text: string): Promise<void> {
  const request = teamsRequest(context.activity);
  const command = text === '' ? 'help' : text;
  const reply = await askBot(deps, request, command);
  await deliverReply(context, deps, request, reply, { query: routeText(command).args });
}
