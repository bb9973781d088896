import { randomUUID } from 'node:crypto';
import { isAdmin, tenantFor, type Workspace } from '../access/access.js';
import { type Principal, principalRef } from '../access/principal.js';
import { isAuditbotError } from '../errors.js';
import type { Metrics } from '../metrics.js';
import { helpReply } from '../replies/help.js';
import type { Reply } from '../replies/reply.js';
import { arrivalCount } from '../server/arrivals.js';
import { isStoreUnavailable, storeUnavailableError } from '../store/unavailable.js';
import { alertsCommand } from './commands/alerts.js';
import { filterCommand } from './commands/filter.js';
import { reportCommand } from './commands/report.js';
import { searchCommand } from './commands/search.js';
import { showCommand } from './commands/show.js';
import { statusCommand } from './commands/status.js';
import { verifyCommand } from './commands/verify.js';
import { whoamiCommand } from './commands/whoami.js';
import type { BotDeps, CommandContext, PageRequest } from './context.js';
import { createTurns } from './turns.js';

export interface BotRequest {
  principal: Principal;
  workspace: Workspace;
  /** What the user typed, routed by its first word — or, with `command`, that command's arguments. */
  text: string;
  /**
   * The command an adapter already knows (a Next or Share button is a search, a Details button a
   * show): `text` is then never re-routed, so a search for the word `report` stays a search.
   */
  command?: SubCommand;
  page?: PageRequest;
  /** Set by an adapter that verified the user is a workspace admin and the operator trusts those. */
  workspaceAdmin?: boolean;
  /** Event lists carry each event's changes (for surfaces whose cards expand in place). */
  withChanges?: boolean;
}

export interface Bot {
  handle(request: BotRequest): Promise<Reply>;
}

export const SUB_COMMANDS = [
  'search',
  'show',
  'report',
  'filter',
  'status',
  'whoami',
  'help',
  'alerts',
  'verify',
] as const;
export type SubCommand = (typeof SUB_COMMANDS)[number];

/** Splits `show abc` into the sub-command and its arguments; anything else is a search. */
export function routeText(text: string): { command: SubCommand; args: string } {
  const trimmed = text.trim();
  const match = /^(\S+)(?:\s+([\s\S]*))?$/.exec(trimmed);
  const word = match?.[1]?.toLowerCase() ?? '';
  if ((SUB_COMMANDS as readonly string[]).includes(word)) {
    return { command: word as SubCommand, args: (match?.[2] ?? '').trim() };
  }
  return { command: 'search', args: trimmed };
}

function refusal(principal: Principal): Reply {
  return {
    kind: 'notice',
    level: 'error',
    text: 'Sorry — audit events are only available to this tenant’s auditbot admins.',
    hint: `Ask your auditbot operator to add \`${principalRef(principal)}\` to AUDITBOT_ADMINS (or the tenant’s admins in AUDITBOT_CONFIG).`,
  };
}

const UNBOUND: Reply = {
  kind: 'notice',
  level: 'error',
  text: 'This workspace is not connected to any auditbot tenant.',
  hint: 'The operator binds workspaces to 8x8 customers in AUDITBOT_CONFIG (slackTeamId / teamsTenantId).',
};

async function run(command: SubCommand, ctx: CommandContext): Promise<Reply> {
  switch (command) {
    case 'search':
      return searchCommand(ctx);
    case 'show':
      return showCommand(ctx);
    case 'report':
      return reportCommand(ctx);
    case 'filter':
      return filterCommand(ctx);
    case 'status':
      return statusCommand(ctx);
    case 'whoami':
      return whoamiCommand(ctx, true);
    case 'help':
      return helpReply();
    case 'alerts':
      return alertsCommand(ctx);
    case 'verify':
      return verifyCommand(ctx);
  }
}

/** The platform-neutral conversation: tenant binding, admin check, routing, errors → Notices. */
export function createBot(deps: BotDeps & { metrics?: Metrics }): Bot {
  const turns = createTurns({ arrivals: arrivalCount });
  return {
    async handle(request) {
      const { command, args } = request.command
        ? { command: request.command, args: request.text.trim() }
        : routeText(request.text);
      const requestId = randomUUID().slice(0, 8);
      const logger = deps.logger.child({ requestId, platform: request.principal.platform, command });
      const stopTimer = deps.metrics?.commandSeconds.startTimer({ command });
      let outcome = 'ok';
      try {
        if (command === 'help') return helpReply();
        const tenant = tenantFor(deps.config, request.workspace);
        if (!tenant) {
          outcome = 'unbound';
          return UNBOUND;
        }
        const admin = request.workspaceAdmin === true || isAdmin(tenant, request.principal, deps.config.defaultTenant);
        const ctx: CommandContext = {
          ...deps,
          logger,
          principal: request.principal,
          tenant,
          now: deps.clock(),
          args,
          page: request.page,
          withChanges: request.withChanges === true,
        };
        if (command === 'whoami') return whoamiCommand(ctx, admin);
        if (!admin) {
          outcome = 'refused';
          logger.info('refused non-admin', { principal: principalRef(request.principal) });
          return refusal(request.principal);
        }
        return await turns.run(() => run(command, ctx));
      } catch (error) {
        outcome = 'error';
        const known = isStoreUnavailable(error) ? storeUnavailableError(error) : error;
        if (isAuditbotError(known)) return { kind: 'notice', level: 'error', text: known.message, hint: known.hint };
        logger.error('command failed', { error });
        return {
          kind: 'notice',
          level: 'error',
          text: `Something went wrong answering that (reference ${requestId}).`,
          hint: 'Try again in a moment; if it persists, give the reference to your auditbot operator.',
        };
      } finally {
        stopTimer?.();
        deps.metrics?.commands.inc({ command, platform: request.principal.platform, outcome });
      }
    },
  };
}
