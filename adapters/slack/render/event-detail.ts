import type { types } from '@slack/bolt';
import type { EventDetailReply } from '../../../src/replies/reply.js';
import { eventSentence, personLabel } from '../../../src/replies/summarize.js';
import { ACTIONS, encodeEventState, encodeListState, type ListState } from '../action-values.js';
import { renderChanges } from './changes.js';
import { eventLine } from './event-list.js';
import { button, context, escapeCut, oneLine, type SlackMessage, section } from './text.js';

/** Slack refuses a button URL over 3,000 characters. */
const URL_MAX = 3000;

function facts(r: EventDetailReply): string[] {
  const e = r.event;
  const short = (text: string, max = 80) => escapeCut(oneLine(text), max);
  const lines = [
    `id \`${short(e.id)}\` · ${short(e.service, 30)} · ${short(e.entityType, 40)} \`${short(e.entityKey)}\``,
  ];
  const extra: string[] = [];
  if (e.region) extra.push(`region ${short(e.region, 20)}`);
  if (e.accessMethod) extra.push(`via ${short(e.accessMethod, 60)}`);
  if (e.correlationId)
    extra.push(`part of ${short(e.correlationType ?? 'change set', 40)} \`${short(e.correlationId)}\``);
  if (extra.length) lines.push(extra.join(' · '));
  if (r.chain) lines.push(`chain position ${r.chain.position.toLocaleString('en-US')} · hash \`${r.chain.hash}\``);
  if (r.summary.impersonator) {
    lines.push(
      `:warning: Impersonated: *${short(personLabel(r.summary.impersonator), 60)}* acted on behalf of ${short(personLabel(r.summary.actor), 60)}`,
    );
  }
  return lines;
}

/** `/audit report key:…` for the full change list; keys with spaces are quoted. */
function reportHint(r: EventDetailReply): string {
  const key = oneLine(r.event.entityKey);
  const shown = key.length > 80 ? key.slice(0, 80) : key;
  return `\`/audit report key:${/\s/.test(shown) ? `"${shown}"` : shown}\``;
}

function detailActions(r: EventDetailReply, back: ListState | null): types.ActionsBlock | null {
  const elements: types.Button[] = [];
  const value = encodeEventState(r.event.id, back);
  if (value) {
    elements.push(
      r.expanded
        ? button({ text: 'Hide changes', actionId: ACTIONS.hideChanges, value })
        : button({ text: 'Show changes', actionId: ACTIONS.showChanges, value }),
    );
  }
  const backValue = back ? encodeListState(back) : null;
  if (backValue) elements.push(button({ text: '← Back to results', actionId: ACTIONS.backToList, value: backValue }));
  if (r.editUrl && r.editUrl.length <= URL_MAX) {
    elements.push(button({ text: 'Edit in Admin Console', actionId: ACTIONS.editLink, url: r.editUrl }));
  }
  return elements.length ? { type: 'actions', block_id: 'detail-actions', elements } : null;
}

/**
 * One event: what happened, its facts and, when expanded, its changes as a diff. `back` is the list
 * it was opened from, so the message can return to it.
 */
export function renderEventDetail(
  r: EventDetailReply,
  options: { back?: ListState | null; interactive?: boolean } = {},
): SlackMessage {
  const blocks: types.KnownBlock[] = [section(eventLine(r.summary), 'event-summary'), context(...facts(r))];
  if (r.expanded) {
    blocks.push(...renderChanges(r.changes, reportHint(r)));
    if (r.event.rawDetails !== null)
      blocks.push(context(`Details are not JSON: \`${escapeCut(oneLine(r.event.rawDetails), 500)}\``));
  }
  const actions = options.interactive === false ? null : detailActions(r, options.back ?? null);
  if (actions) blocks.push(actions);
  return { text: escapeCut(oneLine(eventSentence(r.summary)), 300), blocks };
}
