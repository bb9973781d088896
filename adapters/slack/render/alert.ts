import type { types } from '@slack/bolt';
import type { AlertDigest, AlertMessage, CountLine } from '../../../src/alerts/notifier.js';
import { ACTIONS, encodeAlertMute, encodeEventState } from '../action-values.js';
import { renderEventDetail } from './event-detail.js';
import { eventLine } from './event-list.js';
import {
  button,
  context,
  count,
  escapeCut,
  escapeMrkdwn,
  LIMITS,
  oneLine,
  plain,
  type SlackMessage,
  section,
} from './text.js';

function muteButtons(ruleId: string, label = ''): types.Button[] {
  return (['1h', '24h'] as const).flatMap((duration) => {
    const value = encodeAlertMute(ruleId, duration);
    const text = `Mute rule${label} ${duration === '1h' ? '1 h' : '24 h'}`;
    return value ? [button({ text, actionId: `${ACTIONS.alertMute}:${duration}:${ruleId}`.slice(0, 255), value })] : [];
  });
}

function ruleContext(rule: { id: string; query: string }): types.ContextBlock {
  return context(
    `:rotating_light: Alert rule *${escapeCut(rule.id, 20)}* · \`${escapeCut(oneLine(rule.query), 300)}\``,
  );
}

/**
 * One alert: the event line (impersonator flagged), its facts, and buttons — Details and Show
 * changes answer the clicker privately through `show`; the mutes go through `alerts mute` (admins only).
 */
export function renderAlertMessage(alert: AlertMessage): SlackMessage {
  const detail = renderEventDetail(alert.detail, { interactive: false });
  const value = encodeEventState(alert.detail.event.id, null);
  const elements: types.Button[] = value
    ? [
        button({ text: 'Details', actionId: ACTIONS.details, value }),
        button({ text: 'Show changes', actionId: ACTIONS.showChanges, value }),
      ]
    : [];
  elements.push(...muteButtons(alert.rule.id));
  return {
    text: `Alert: ${detail.text}`,
    blocks: [ruleContext(alert.rule), ...detail.blocks, { type: 'actions', block_id: 'alert-actions', elements }],
  };
}

function countsText(title: string, lines: CountLine[]): string {
  return `*${title}*\n${lines.map((l) => `${escapeCut(oneLine(l.label), 60)}: ${count(l.count)}`).join('\n')}`;
}

/** A digest: counts, the first lines, and a note that the attached CSV holds every event. */
export function renderAlertDigest(digest: AlertDigest): SlackMessage {
  const title = `${count(digest.total)} alerts — ${digest.rules.map((r) => r.query).join(', ')}`;
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: plain(title, LIMITS.headerText) },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: countsText('Operation', digest.byOperation) },
        { type: 'mrkdwn', text: countsText('Who', digest.byActor) },
        { type: 'mrkdwn', text: countsText('Entity type', digest.byEntityType) },
      ],
    },
    section(digest.firstLines.map(eventLine).join('\n').slice(0, LIMITS.sectionText) || ' '),
  ];
  const more = digest.total - digest.firstLines.length;
  blocks.push(
    context(
      more > 0 ? `… and ${count(more)} more — every event is in the CSV below.` : 'Every event is in the CSV below.',
    ),
  );
  const mutes = digest.rules.slice(0, 5).flatMap((r) => muteButtons(r.id, digest.rules.length > 1 ? ` ${r.id}` : ''));
  if (mutes.length) blocks.push({ type: 'actions', block_id: 'digest-actions', elements: mutes });
  return { text: escapeMrkdwn(title), blocks };
}
