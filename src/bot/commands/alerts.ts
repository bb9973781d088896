import { principalRef } from '../../access/principal.js';
import { compileRule } from '../../alerts/matcher.js';
import {
  type AlertDestination,
  type AlertRule,
  AlertRules,
  configuredDestinations,
  DEFAULT_QUERIES,
  destinationKey,
  isMuted,
} from '../../alerts/rules.js';
import type { AuditEvent } from '../../domain/audit-event.js';
import { formatQuery, parseQuery } from '../../domain/query-language.js';
import type { AlertRuleListReply, NoticeReply, Reply } from '../../replies/reply.js';
import type { CommandContext } from '../context.js';
import { queryErrorNotice } from '../query-input.js';
import { recordAccess } from '../record-access.js';
import { parseDestination, parseDuration } from './alert-args.js';

const USAGE =
  '`alerts`, `alerts add <query> [to <channel>] [--digest]`, `alerts remove <id>`, `alerts mute <id> 1h`, `alerts unmute <id>`, `alerts test <id>`';

function notice(level: NoticeReply['level'], text: string, hint?: string): NoticeReply {
  return { kind: 'notice', level, text, ...(hint ? { hint } : {}) };
}

/** Rule changes are audit events of their own, like every read auditbot answers. */
function recordRuleChange(
  ctx: CommandContext,
  eventType: AuditEvent['eventType'],
  rule: AlertRule,
  extra: Record<string, unknown> = {},
): Promise<void> {
  return recordAccess(ctx, {
    eventType,
    entityType: 'alert rule',
    entityKey: rule.id,
    displayName: `alert rule ${rule.id}: ${rule.query}`,
    details: { query: rule.query, destination: destinationKey(rule.destination), mode: rule.mode, ...extra },
  });
}

async function listReply(ctx: CommandContext, rules: AlertRules, message?: string): Promise<AlertRuleListReply> {
  const list = await rules.ensureDefaults(ctx.tenant, ctx.now);
  const fired = await ctx.store.alertOutbox.lastSent(ctx.tenant.customerId);
  const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
  return {
    kind: 'alert-rules',
    rules: list.map((rule) => ({
      id: rule.id,
      query: rule.query,
      platform: rule.destination.platform,
      destination: rule.destination.platform === 'slack' ? rule.destination.channel : rule.destination.conversationKey,
      mode: rule.mode,
      createdBy: rule.createdBy,
      createdAt: new Date(rule.createdAt).toISOString(),
      mutedUntil: isMuted(rule, ctx.now) ? iso(rule.mutedUntil) : null,
      lastFiredAt: iso(fired.get(rule.id)),
    })),
    ...(message ? { message } : {}),
  };
}

async function addRule(ctx: CommandContext, rules: AlertRules, args: string): Promise<Reply> {
  const digest = /(^|\s)--digest(\s|$)/.test(args);
  const words = args.replace(/(^|\s)--digest(?=\s|$)/g, ' ').trim();
  const toAt = words.search(/\s+to\s+\S+$/);
  const queryText = toAt >= 0 ? words.slice(0, toAt) : words;
  if (queryText.trim() === '')
    return notice(
      'error',
      'Which events? `alerts add` needs a query.',
      `Try \`alerts add op:delete entity:user\`. ${USAGE}`,
    );
  const parsed = parseQuery(queryText);
  if (!parsed.ok) return queryErrorNotice(queryText, parsed.errors);
  const target = toAt >= 0 ? words.slice(toAt).replace(/^\s+to\s+/, '') : null;
  const destination = target
    ? parseDestination(target, ctx.principal.platform)
    : (configuredDestinations(ctx.tenant).find((d) => d.platform === ctx.principal.platform) ??
      configuredDestinations(ctx.tenant)[0] ??
      null);
  if (!destination)
    return notice(
      'error',
      target ? `\`${target}\` is not a channel auditbot can post to.` : 'Where to? No security channel is configured.',
      'Add `to C0123456789` (a Slack channel id), `to teams:<conversation>` — or in Teams run `audit alerts here` in the channel.',
    );
  const rule = await rules.add(
    ctx.tenant.customerId,
    {
      query: formatQuery(parsed.query),
      destination,
      mode: digest ? 'digest' : 'each',
      createdBy: principalRef(ctx.principal),
    },
    ctx.now,
  );
  await recordRuleChange(ctx, 'create', rule);
  return listReply(ctx, rules, `Rule ${rule.id} added: new matches of \`${rule.query}\` will be posted.`);
}

async function withRule(
  ctx: CommandContext,
  rules: AlertRules,
  id: string | undefined,
  run: (rule: AlertRule) => Promise<Reply>,
): Promise<Reply> {
  const rule = id ? await rules.get(ctx.tenant.customerId, id) : null;
  if (!rule)
    return notice(
      'error',
      id ? `No alert rule ${id} in this tenant.` : 'Which rule? Give its id.',
      'Type `alerts` to list the rules and their ids.',
    );
  return run(rule);
}

async function testRule(ctx: CommandContext, rule: AlertRule): Promise<Reply> {
  const outbox = ctx.store.alertOutbox;
  const actors = await ctx.actors.list(ctx.tenant.customerId);
  const filter = compileRule(rule, actors, ctx.now, ctx.config.retentionDays);
  if (!outbox || !filter) return notice('error', 'Alerts are not available with this store.');
  filter.range = { start: ctx.now - ctx.config.retentionDays * 86_400_000, end: ctx.now + 1 };
  const newest = (await ctx.store.search(filter, { limit: 1 })).events[0];
  if (!newest)
    return notice('warn', `Nothing has matched \`${rule.query}\` yet, so there is nothing to send as a test.`);
  await outbox.enqueue(
    [
      {
        customerId: rule.customerId,
        ruleId: `${rule.id}@test${ctx.now}`,
        eventId: newest.id,
        destination: destinationKey(rule.destination),
        mode: 'each',
      },
    ],
    Date.now(),
  );
  return notice(
    'info',
    `Test alert of rule ${rule.id} queued: the newest match will be posted to ${destinationKey(rule.destination)} in a moment.`,
  );
}

/** `alerts here <conversationKey>` (Teams): the defaults, pointed at this conversation, unless rules already go there. */
async function alertsHere(ctx: CommandContext, rules: AlertRules, key: string): Promise<Reply> {
  if (ctx.principal.platform !== 'teams' || key === '')
    return notice(
      'error',
      '`alerts here` works in a Teams channel or chat.',
      'In Slack, use `alerts add <query> to <channel>`.',
    );
  const destination: AlertDestination = { platform: 'teams', conversationKey: key };
  const existing = await rules.ensureDefaults(ctx.tenant, ctx.now);
  if (existing.some((r) => destinationKey(r.destination) === destinationKey(destination)))
    return listReply(ctx, rules, 'Alerts already come to this conversation.');
  for (const query of DEFAULT_QUERIES) {
    const rule = await rules.add(
      ctx.tenant.customerId,
      { query, destination, mode: 'each', createdBy: principalRef(ctx.principal) },
      ctx.now,
    );
    await recordRuleChange(ctx, 'create', rule);
  }
  return listReply(ctx, rules, 'Deletes and bulk changes will be posted in this conversation from now on.');
}

/** `alerts …`: list, add, remove, mute, unmute, test and (Teams) here. Admin-only, like every command. */
export async function alertsCommand(ctx: CommandContext): Promise<Reply> {
  const rules = new AlertRules(ctx.store);
  const [verb = '', ...rest] = ctx.args.split(/\s+/).filter(Boolean);
  const args = ctx.args.slice(ctx.args.indexOf(verb) + verb.length).trim();
  switch (verb.toLowerCase()) {
    case '':
    case 'list':
      return listReply(ctx, rules);
    case 'add':
      return addRule(ctx, rules, args);
    case 'remove':
      return withRule(ctx, rules, rest[0], async (rule) => {
        await rules.remove(ctx.tenant.customerId, rule.id);
        await recordRuleChange(ctx, 'delete', rule);
        return listReply(ctx, rules, `Rule ${rule.id} removed.`);
      });
    case 'mute':
      return withRule(ctx, rules, rest[0], async (rule) => {
        const ms = parseDuration(rest[1] ?? '');
        if (ms === null) return notice('error', 'For how long? e.g. `alerts mute 1 1h` (m, h or d, up to 30d).');
        const until = ctx.now + ms;
        await rules.setMute(ctx.tenant.customerId, rule.id, until);
        await recordRuleChange(ctx, 'update', rule, { mutedUntil: new Date(until).toISOString() });
        return notice(
          'info',
          `Rule ${rule.id} (\`${rule.query}\`) is muted until ${new Date(until).toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
          `\`alerts unmute ${rule.id}\` ends it sooner.`,
        );
      });
    case 'unmute':
      return withRule(ctx, rules, rest[0], async (rule) => {
        await rules.setMute(ctx.tenant.customerId, rule.id, null);
        await recordRuleChange(ctx, 'update', rule, { mutedUntil: null });
        return listReply(ctx, rules, `Rule ${rule.id} is live again.`);
      });
    case 'test':
      return withRule(ctx, rules, rest[0], (rule) => testRule(ctx, rule));
    case 'here':
      return alertsHere(ctx, rules, args);
    default:
      return notice('error', `Unknown alerts command \`${verb}\`.`, USAGE);
  }
}
