import type { types } from '@slack/bolt';
import type { EventListReply, EventSummary } from '../../../src/replies/reply.js';
import { actionVerb, entityLabel, matchesText, personLabel } from '../../../src/replies/summarize.js';
import {
  ACTIONS,
  encodeEventState,
  encodeListState,
  encodeRefineState,
  type ListState,
  listState,
} from '../action-values.js';
import {
  button,
  context,
  count,
  cutPlain,
  escapeCut,
  escapeMrkdwn,
  LIMITS,
  oneLine,
  plain,
  type SlackMessage,
  section,
  slackDate,
} from './text.js';

/** Per-field budgets so a page of 20 events with 5,000-character names stays far below the message limit. */
const NAME_MAX = 120;
const PERSON_MAX = 60;

function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function person(p: EventSummary['actor']): string {
  return escapeCut(oneLine(personLabel(p)), PERSON_MAX);
}

/** One compact line: when, who (impersonator flagged first), what, which entity. */
export function eventLine(s: EventSummary): string {
  const who = s.impersonator
    ? `:warning: *${person(s.impersonator)}* _acting as_ ${person(s.actor)}`
    : `*${person(s.actor)}*`;
  const where = s.region ? ` · ${escapeCut(s.region, 20)}` : '';
  const entity = `${escapeCut(oneLine(entityLabel(s.entityType)), 40)} *${escapeCut(oneLine(s.entityName), NAME_MAX)}*`;
  return `${slackDate(s.time)} · ${who} ${actionVerb(s.eventType)} ${entity}${where}`;
}

function headline(r: EventListReply): string {
  const q = r.query || '(everything)';
  if (r.total === 0) return cutPlain(`No events match ${q}`, LIMITS.headerText);
  return cutPlain(`${matchesText(r)} ${q}`, LIMITS.headerText);
}

function windowLine(r: EventListReply): string {
  const first = (r.page - 1) * r.pageSize + 1;
  const last = first + r.events.length - 1;
  const shown = r.events.length
    ? `Showing ${count(first)}–${count(last)} of ${count(r.total)}${r.totalIsLowerBound ? '+' : ''}, newest first · `
    : '';
  const clamp = r.clampedToRetention ? ' (cut to the retention window)' : '';
  const fresh = r.freshness.completeUpTo ? `complete up to ${slackDate(r.freshness.completeUpTo)}` : 'no data yet';
  return `${shown}${utc(r.window.start)} → ${utc(r.window.end)}${clamp} · ${fresh}`;
}

function eventBlocks(s: EventSummary, index: number, back: ListState | null): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = [section(eventLine(s), `event-${index}`)];
  const value = encodeEventState(s.id, back);
  if (value) {
    blocks.push({
      type: 'actions',
      block_id: `event-actions-${index}`,
      elements: [
        button({ text: 'Details', actionId: ACTIONS.details, value }),
        button({ text: 'Show changes', actionId: ACTIONS.showChanges, value }),
      ],
    });
  }
  return blocks;
}

function navigation(r: EventListReply, here: ListState): types.ActionsBlock | null {
  const elements: types.Button[] = [];
  if (r.page > 1) {
    const target = r.previousCursors.at(-1) ?? null;
    // A null before the last position is a dropped cursor: the honest way back is the first page.
    const state =
      target === null ? listState(r.query, null, []) : listState(r.query, target, r.previousCursors.slice(0, -1));
    const value = encodeListState(state);
    if (value) elements.push(button({ text: '← Previous', actionId: `${ACTIONS.page}:prev`, value }));
  }
  if (r.nextCursor) {
    const value = encodeListState(listState(r.query, r.nextCursor, [...r.previousCursors, r.cursor]));
    if (value) elements.push(button({ text: 'Next →', actionId: `${ACTIONS.page}:next`, value }));
  }
  const shareValue = encodeListState(here);
  if (shareValue && r.events.length)
    elements.push(button({ text: 'Share in channel', actionId: ACTIONS.share, value: shareValue }));
  const refineValue = encodeRefineState(r.query);
  if (refineValue) elements.push(button({ text: 'Refine', actionId: ACTIONS.refine, value: refineValue }));
  return elements.length ? { type: 'actions', block_id: 'list-navigation', elements } : null;
}

/** The event list: header, window and freshness, one compact section per event, paging and sharing. */
export function renderEventList(r: EventListReply, options: { interactive?: boolean } = {}): SlackMessage {
  const interactive = options.interactive ?? true;
  const here = listState(r.query, r.cursor, r.previousCursors);
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: plain(headline(r), LIMITS.headerText) },
    context(windowLine(r)),
  ];
  // Header, window, a possible "more" note and navigation: 4 fixed blocks; 2 per event.
  const perEvent = interactive ? 2 : 1;
  const room = Math.floor((LIMITS.messageBlocks - 4) / perEvent);
  const shown = r.events.slice(0, room);
  shown.forEach((s, i) => {
    const eventBlocksList = eventBlocks(s, i, here);
    blocks.push(...(interactive ? eventBlocksList : eventBlocksList.slice(0, 1)));
  });
  if (r.events.length > shown.length)
    blocks.push(context(`… ${r.events.length - shown.length} more on this page — narrow the query`));
  if (r.total === 0)
    blocks.push(context('Try a wider window (`when:90d`) or fewer qualifiers; `/audit help` lists them.'));
  const nav = interactive ? navigation(r, here) : null;
  if (nav) blocks.push(nav);
  return { text: escapeMrkdwn(headline(r)), blocks };
}
