import type { EventDetailReply } from '../../../src/replies/reply.js';
import { actionVerb, entityLabel, personLabel } from '../../../src/replies/summarize.js';
import { type AdaptiveCard, adaptiveCard, type CardElement, localTime, richText, textBlock } from './card.js';
import { changeElements } from './changes.js';
import { factRows } from './facts.js';

/** One event with its changes (`audit show <id>`); the diff is open unless the reply says collapsed. */
export function renderEventDetail(reply: EventDetailReply, changeLimit = 100): AdaptiveCard {
  const { summary, event } = reply;
  const body: CardElement[] = [
    textBlock(localTime(summary.time), { isSubtle: true, size: 'Small' }),
    richText([
      { text: personLabel(summary.actor), weight: 'Bolder' },
      { text: ` ${actionVerb(summary.eventType)} ${entityLabel(summary.entityType)} ` },
      { text: `“${summary.entityName}”`, weight: 'Bolder' },
    ]),
  ];
  if (summary.impersonator) {
    body.push(
      richText([
        { text: '⚠ Impersonated: ', color: 'warning', weight: 'Bolder' },
        { text: `${personLabel(summary.impersonator)} acting as ${personLabel(summary.actor)}`, color: 'warning' },
      ]),
    );
  }
  const facts: { label: string; value: string }[] = [
    { label: 'Event id', value: event.id },
    { label: 'Entity', value: `${event.entityType} ${event.entityKey}` },
    { label: 'Application', value: event.service },
  ];
  if (event.region) facts.push({ label: 'Region', value: event.region });
  if (event.accessMethod) facts.push({ label: 'Via', value: event.accessMethod });
  if (event.correlationId)
    facts.push({ label: 'Part of', value: `${event.correlationType ?? 'change set'} ${event.correlationId}` });
  if (reply.chain) {
    facts.push({
      label: 'Chain',
      value: `position ${reply.chain.position.toLocaleString('en-US')} · hash ${reply.chain.hash}`,
    });
  }
  body.push(...factRows(facts));
  const changes = changeElements(reply.changes, changeLimit, event.id);
  body.push(
    reply.expanded
      ? { type: 'Container', separator: true, items: changes }
      : { type: 'Container', id: 'changes', isVisible: false, separator: true, items: changes },
  );
  if (event.rawDetails !== null) {
    body.push(
      richText([
        { text: 'Details (not JSON): ', subtle: true },
        { text: event.rawDetails.slice(0, 500), monospace: true },
      ]),
    );
  }
  const actions: CardElement[] = [];
  if (!reply.expanded)
    actions.push({ type: 'Action.ToggleVisibility', title: 'Show changes', targetElements: ['changes'] });
  if (reply.editUrl) actions.push({ type: 'Action.OpenUrl', title: 'Edit in Admin Console', url: reply.editUrl });
  return adaptiveCard(body, actions);
}
