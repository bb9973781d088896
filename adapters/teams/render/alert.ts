import type { AlertDigest, AlertMessage, CountLine } from '../../../src/alerts/notifier.js';
import { actionVerb, entityLabel, personLabel } from '../../../src/replies/summarize.js';
import { VERBS } from '../verbs.js';
import {
  type AdaptiveCard,
  adaptiveCard,
  type CardElement,
  formatCount,
  localTime,
  richText,
  submitAction,
  textBlock,
} from './card.js';
import { renderEventDetail } from './event-detail.js';
import { factRows } from './facts.js';

function muteActions(ruleId: string, label = ''): CardElement[] {
  return (['1h', '24h'] as const).map((duration) =>
    submitAction(`Mute rule${label} ${duration === '1h' ? '1 h' : '24 h'}`, {
      verb: VERBS.alertMute,
      ruleId,
      duration,
    }),
  );
}

/**
 * One alert: the detail card of `audit show` (changes collapsed behind "Show changes", the
 * impersonator in warning colour) under a rule line, with Details and the mute buttons.
 */
export function renderAlertCard(alert: AlertMessage): AdaptiveCard {
  const detail = renderEventDetail(alert.detail);
  const head = richText([
    { text: '🔔 Alert — rule ', weight: 'Bolder', color: 'attention' },
    { text: alert.rule.id, weight: 'Bolder' },
    { text: ' ' },
    { text: alert.rule.query, monospace: true },
  ]);
  const actions = [
    ...(detail.actions ?? []),
    submitAction('Details', { verb: VERBS.alertDetails, eventId: alert.detail.event.id }),
    ...muteActions(alert.rule.id),
  ];
  return adaptiveCard([head, ...detail.body], actions);
}

function counts(title: string, lines: CountLine[]): CardElement[] {
  return [
    textBlock(title, { weight: 'Bolder', spacing: 'Medium' }),
    ...factRows(lines.map((l) => ({ label: l.label, value: formatCount(l.count) }))),
  ];
}

/** A digest card: counts, the first lines, and the link to the CSV that lists every event. */
export function renderDigestCard(digest: AlertDigest, link: { url: string; minutes: number } | null): AdaptiveCard {
  const body: CardElement[] = [
    richText([
      { text: `🔔 ${formatCount(digest.total)} alerts`, weight: 'Bolder', color: 'attention' },
      { text: ` — ${digest.rules.map((r) => r.query).join(', ')}` },
    ]),
    ...counts('Operation', digest.byOperation),
    ...counts('Who', digest.byActor),
    ...counts('Entity type', digest.byEntityType),
    textBlock('First alerts', { weight: 'Bolder', spacing: 'Medium' }),
  ];
  for (const s of digest.firstLines) {
    body.push(
      richText([
        { text: `${s.time.slice(0, 16).replace('T', ' ')} UTC `, subtle: true },
        { text: personLabel(s.actor), weight: 'Bolder' },
        ...(s.impersonator
          ? [{ text: ` (impersonated by ${personLabel(s.impersonator)})`, color: 'warning' as const }]
          : []),
        { text: ` ${actionVerb(s.eventType)} ${entityLabel(s.entityType)} ` },
        { text: `“${s.entityName}”`, weight: 'Bolder' },
      ]),
    );
  }
  const more = digest.total - digest.firstLines.length;
  body.push(
    textBlock(
      `${more > 0 ? `… and ${formatCount(more)} more. ` : ''}The CSV lists every event${link ? ` (link valid ${link.minutes} minutes, from ${localTime(new Date().toISOString())})` : ''}.`,
      { isSubtle: true },
    ),
  );
  const actions: CardElement[] = link ? [{ type: 'Action.OpenUrl', title: 'Download CSV', url: link.url }] : [];
  actions.push(
    ...digest.rules.slice(0, 2).flatMap((r) => muteActions(r.id, digest.rules.length > 1 ? ` ${r.id}` : '')),
  );
  return adaptiveCard(body, actions);
}
