import type { types } from '@slack/bolt';
import type { AlertRuleListReply } from '../../../src/replies/reply.js';
import { context, escapeCut, LIMITS, oneLine, plain, type SlackMessage, section, slackDate } from './text.js';

function where(rule: AlertRuleListReply['rules'][number]): string {
  return rule.platform === 'slack'
    ? `<#${escapeCut(rule.destination, 40)}>`
    : `Teams ${escapeCut(rule.destination, 80)}`;
}

/** `/audit alerts`: one section per rule (id, query, destination, mute, last fired). */
export function renderAlertRules(r: AlertRuleListReply): SlackMessage {
  const blocks: types.KnownBlock[] = [{ type: 'header', text: plain('Alert rules', LIMITS.headerText) }];
  if (r.message) blocks.push(section(escapeCut(r.message, 1000)));
  // Header, message, footnote: 3 blocks; the rest one per rule.
  const shown = r.rules.slice(0, LIMITS.messageBlocks - 4);
  for (const rule of shown) {
    const muted = rule.mutedUntil ? ` · :no_bell: muted until ${slackDate(rule.mutedUntil)}` : '';
    const fired = rule.lastFiredAt ? `last fired ${slackDate(rule.lastFiredAt)}` : 'never fired';
    blocks.push(
      section(
        `*${escapeCut(rule.id, 20)}* \`${escapeCut(oneLine(rule.query), 300)}\` → ${where(rule)}${rule.mode === 'digest' ? ' (digest)' : ''}${muted}\n${fired} · added by ${escapeCut(rule.createdBy, 80)}`,
      ),
    );
  }
  if (r.rules.length > shown.length) blocks.push(context(`… ${r.rules.length - shown.length} more`));
  if (r.rules.length === 0)
    blocks.push(section('No alert rules. `/audit alerts add op:delete to #security` adds one.'));
  blocks.push(
    context('`/audit alerts add <query> [to #channel]` · `remove <id>` · `mute <id> 1h` · `unmute <id>` · `test <id>`'),
  );
  return { text: r.message ? escapeCut(oneLine(r.message), 300) : `${r.rules.length} alert rules`, blocks };
}
