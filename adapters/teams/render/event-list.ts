import type { ChangeSet } from '../../../src/domain/changes.js';
import type { EventListReply, EventSummary } from '../../../src/replies/reply.js';
import { actionVerb, entityLabel, matchesText, personLabel } from '../../../src/replies/summarize.js';
import { type PageActionData, VERBS } from '../verbs.js';
import {
  type AdaptiveCard,
  adaptiveCard,
  CARD_BYTE_BUDGET,
  type CardElement,
  cardBytes,
  dialogAction,
  localTime,
  richText,
  submitAction,
  textBlock,
} from './card.js';
import { changeElements } from './changes.js';

/** Changes per event id, fetched by the adapter for the page's events. */
export type ChangesByEvent = ReadonlyMap<string, ChangeSet>;

const APP_LABEL: Record<string, string> = { platform: 'Admin Console', vccss: 'Contact Center', auditbot: 'auditbot' };

function header(reply: EventListReply): CardElement[] {
  const first = (reply.page - 1) * reply.pageSize + 1;
  const last = first + reply.events.length - 1;
  const window = `${localTime(reply.window.start)} → ${localTime(reply.window.end)}${reply.clampedToRetention ? ' (cut to the retention window)' : ''}`;
  const freshness = reply.freshness.completeUpTo
    ? `Data complete up to ${localTime(reply.freshness.completeUpTo)}${reply.freshness.basis ? ` (${reply.freshness.basis})` : ''}`
    : 'No events stored yet';
  const title = reply.total === 0 ? 'No events match' : matchesText(reply);
  return [
    textBlock(title, { size: 'Medium', weight: 'Bolder' }),
    richText(
      [
        { text: 'Query ', subtle: true },
        { text: reply.query || '(everything)', monospace: true },
      ],
      { spacing: 'None' },
    ),
    textBlock(reply.total === 0 ? `Window ${window}` : `Showing ${first}–${last}, newest first · window ${window}`, {
      isSubtle: true,
      size: 'Small',
      spacing: 'Small',
    }),
    textBlock(freshness, { isSubtle: true, size: 'Small', spacing: 'None' }),
  ];
}

function eventContainer(
  summary: EventSummary,
  index: number,
  changes: ChangeSet | undefined,
  limit: number,
): CardElement {
  const items: CardElement[] = [
    textBlock(localTime(summary.time), { isSubtle: true, size: 'Small' }),
    richText(
      [
        { text: personLabel(summary.actor), weight: 'Bolder' },
        { text: ` ${actionVerb(summary.eventType)} ${entityLabel(summary.entityType)} ` },
        { text: `“${summary.entityName}”`, weight: 'Bolder' },
      ],
      { spacing: 'None' },
    ),
  ];
  if (summary.impersonator) {
    items.push(
      richText(
        [
          { text: '⚠ Impersonated: ', color: 'warning', weight: 'Bolder' },
          { text: `${personLabel(summary.impersonator)} acting as ${personLabel(summary.actor)}`, color: 'warning' },
        ],
        { spacing: 'None' },
      ),
    );
  }
  const meta = [
    APP_LABEL[summary.service] ?? summary.service,
    summary.region,
    summary.accessMethod ? `via ${summary.accessMethod}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  items.push(
    richText(
      [
        { text: `${meta} · id `, subtle: true },
        { text: summary.id, subtle: true, monospace: true },
      ],
      { spacing: 'None' },
    ),
  );
  if (changes) {
    // Two toggles, because a button cannot change its own title: "Show" hides itself and reveals
    // the diff, whose last row holds "Hide".
    const changesId = `changes-${index}`;
    const showId = `show-${index}`;
    const toggle = (title: string) => ({ type: 'Action.ToggleVisibility', title, targetElements: [changesId, showId] });
    items.push({ type: 'ActionSet', id: showId, actions: [toggle('Show changes')], spacing: 'Small' });
    items.push({
      type: 'Container',
      id: changesId,
      isVisible: false,
      spacing: 'Small',
      items: [...changeElements(changes, limit, summary.id), { type: 'ActionSet', actions: [toggle('Hide changes')] }],
    });
  }
  return { type: 'Container', separator: true, spacing: 'Medium', items };
}

function pageActions(reply: EventListReply): CardElement[] {
  const actions: CardElement[] = [];
  if (reply.previousCursors.length > 0) {
    const data: PageActionData = {
      verb: VERBS.page,
      query: reply.query,
      cursor: reply.previousCursors.at(-1) ?? null,
      previousCursors: reply.previousCursors.slice(0, -1),
    };
    actions.push(submitAction('Previous page', data));
  }
  if (reply.nextCursor) {
    const data: PageActionData = {
      verb: VERBS.page,
      query: reply.query,
      cursor: reply.nextCursor,
      previousCursors: [...reply.previousCursors, reply.cursor],
    };
    actions.push(submitAction('Next page', data, { style: 'positive' }));
  }
  actions.push(dialogAction('Refine', { verb: VERBS.filter, query: reply.query }));
  if (reply.total > 0) actions.push(submitAction('CSV report', { verb: VERBS.report, query: reply.query }));
  return actions;
}

/** Diff lines per event, tried from generous to none until the card fits the byte budget. */
const CHANGE_LIMITS = [25, 10, 5, 2, 0];

/**
 * A page of results: header, one container per event with its changes behind Show/Hide, paging and
 * Refine. Stays under the byte budget by showing fewer diff lines, then fewer events ("… N more").
 */
export function renderEventList(
  reply: EventListReply,
  changes: ChangesByEvent,
  budget = CARD_BYTE_BUDGET,
): AdaptiveCard {
  const build = (limit: number, shown: number) => {
    const body = [
      ...header(reply),
      ...reply.events.slice(0, shown).map((s, i) => eventContainer(s, i, changes.get(s.id), limit)),
    ];
    const cut = reply.events.length - shown;
    if (cut > 0) {
      body.push(
        textBlock(
          `… ${cut} more event${cut === 1 ? '' : 's'} on this page did not fit — refine the query or open them with \`audit show <id>\`.`,
          { isSubtle: true, separator: true },
        ),
      );
    }
    return adaptiveCard(body, pageActions(reply));
  };
  for (const limit of CHANGE_LIMITS) {
    const card = build(limit, reply.events.length);
    if (cardBytes(card) <= budget) return card;
  }
  for (let shown = reply.events.length - 1; shown > 0; shown -= 1) {
    const card = build(0, shown);
    if (cardBytes(card) <= budget) return card;
  }
  return build(0, 0);
}
