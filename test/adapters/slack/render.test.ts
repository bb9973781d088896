import { describe, expect, it } from 'vitest';
import { decodeListState, encodeListState, listState, pageRequest } from '../../../adapters/slack/action-values.js';
import { renderEventDetail } from '../../../adapters/slack/render/event-detail.js';
import { renderEventList } from '../../../adapters/slack/render/event-list.js';
import { renderFilterModal } from '../../../adapters/slack/render/filter-modal.js';
import { renderNotice, renderSummary } from '../../../adapters/slack/render/info.js';
import { escapeCut } from '../../../adapters/slack/render/text.js';
import type { Change } from '../../../src/domain/changes.js';
import type { EventDetailReply, EventListReply, EventSummary, FilterFormReply } from '../../../src/replies/reply.js';
import { NOW, platformEvent } from '../../helpers/auditbot.js';
import { allText, checkMessage, checkModal } from './block-kit-limits.js';

const HUGE = `${'😀'.repeat(1000)}${'שלום עולם '.repeat(200)}<!channel>${'x'.repeat(2000)}`;
const cursor = (i: number) =>
  Buffer.from(JSON.stringify([NOW - i, `evt-${'0'.repeat(30)}-${i}`])).toString('base64url');

function summary(i: number, name = HUGE): EventSummary {
  return {
    id: `evt-${i}-${'z'.repeat(300)}`,
    time: new Date(NOW - i * 60_000).toISOString(),
    eventType: 'update',
    service: 'platform',
    entityType: `RingGroup${'<@U1>'.repeat(50)}`,
    entityKey: `rg-${i}`,
    entityName: name,
    actor: { id: 'u-1', name },
    impersonator: { id: 'SUP-1', name },
    region: 'uk-eu',
    accessMethod: name,
    correlation: null,
  };
}

function list(events: number, overrides: Partial<EventListReply> = {}): EventListReply {
  return {
    kind: 'event-list',
    query: `who:alice ${HUGE.slice(0, 300)}`,
    window: { start: new Date(NOW - 90 * 86_400_000).toISOString(), end: new Date(NOW).toISOString() },
    clampedToRetention: true,
    total: 1_000,
    totalIsLowerBound: true,
    events: Array.from({ length: events }, (_, i) => summary(i)),
    page: 40,
    pageSize: events,
    cursor: cursor(39),
    nextCursor: cursor(40),
    previousCursors: [null, ...Array.from({ length: 38 }, (_, i) => cursor(i + 1))],
    freshness: { completeUpTo: new Date(NOW).toISOString(), basis: 'api' },
    ...overrides,
  };
}

function detail(changes: Change[], expanded = true): EventDetailReply {
  const event = platformEvent({
    displayName: HUGE,
    entityKey: 'rg 1',
    accessMethod: HUGE,
    correlationId: HUGE,
    correlationType: 'user',
  });
  return {
    kind: 'event-detail',
    summary: summary(1),
    event,
    changes: { basis: 'old-new', changes },
    editUrl: 'https://admin.example/rg/1',
    expanded,
  };
}

describe('Block Kit limits whatever the data', () => {
  it('a page of 20 events with 5,000-character emoji/RTL names and 39 previous pages', () => {
    const message = renderEventList(list(20));
    expect(checkMessage(message)).toEqual([]);
    expect(allText(message)).not.toContain('<!channel>');
    expect(allText(message)).not.toContain('<@U1>');
  });

  it('a query too long for any button still renders, without paging buttons', () => {
    const message = renderEventList(list(3, { query: 'a'.repeat(2500) }));
    expect(checkMessage(message)).toEqual([]);
    expect(JSON.stringify(message)).not.toContain('audit_page');
  });

  it('300 changes with huge values are cut with "… N more changes" and a report hint', () => {
    const changes: Change[] = Array.from({ length: 300 }, (_, i) => ({
      path: `members.${i}.${HUGE.slice(0, 80)}`,
      kind: 'changed',
      old: HUGE,
      new: `${HUGE}\`\`\``,
    }));
    const message = renderEventDetail(detail(changes));
    expect(checkMessage(message)).toEqual([]);
    const text = allText(message);
    expect(text).toMatch(/… \d+ more changes — run `\/audit report key:"rg 1"` for all of them/);
    expect(text).not.toContain('<!channel>');
    // A value holding ``` cannot close the code block early.
    expect(text.split('```').length).toBe(
      2 * message.blocks.filter((b) => b.type === 'section' && JSON.stringify(b).includes('```')).length + 1,
    );
  });

  it('added attributes show only the new value, removed only the old', () => {
    const text = allText(
      renderEventDetail(
        detail([
          { path: 'timeout', kind: 'added', new: 30 },
          { path: 'moh', kind: 'removed', old: 'jazz' },
        ]),
      ),
    );
    expect(text).toContain('+ timeout: 30');
    expect(text).toContain('- moh: jazz');
    expect(text).not.toMatch(/- timeout|\+ moh/);
  });

  it('notices and summaries with hostile text', () => {
    expect(checkMessage(renderNotice({ kind: 'notice', level: 'error', text: HUGE.repeat(3), hint: HUGE }))).toEqual(
      [],
    );
    const facts = Array.from({ length: 60 }, (_, i) => ({ label: `${i} ${HUGE}`, value: HUGE }));
    expect(checkMessage(renderSummary({ kind: 'summary', title: HUGE, facts, footnote: HUGE }))).toEqual([]);
  });

  it('the filter modal with 500 actors and entity types falls back to text inputs', () => {
    const form: FilterFormReply = {
      kind: 'filter-form',
      values: {
        app: 'cc',
        region: 'us',
        when: null,
        since: '7d',
        until: '2026-11-20',
        who: ['u-1', HUGE],
        ops: ['delete'],
        entities: [],
        text: HUGE,
      },
      choices: {
        regions: ['uk-eu', 'us', 'ca', 'apac'],
        actors: Array.from({ length: 500 }, (_, i) => ({ id: `u-${i}`, name: HUGE })),
        entityTypes: Array.from({ length: 150 }, (_, i) => `type-${i}`),
        operations: ['create', 'update', 'delete'],
        presets: ['today', '7d'],
      },
    };
    const view = renderFilterModal(form, { metadata: '{}', now: NOW });
    expect(checkModal(view)).toEqual([]);
    const since = view.blocks.find((b) => b.block_id === 'since');
    expect(JSON.stringify(since)).toContain('"initial_date":"2026-11-19"');
  });
});

describe('paging state in button values', () => {
  it('drops the oldest cursors to fit 2,000 characters, keeping the page number', () => {
    const previous = [null, ...Array.from({ length: 60 }, (_, i) => cursor(i))];
    const encoded = encodeListState(listState('op:delete', cursor(61), previous));
    expect(encoded?.length).toBeLessThanOrEqual(2000);
    const page = pageRequest(decodeListState(encoded ?? '') ?? { q: '', c: null, p: [], d: 0 });
    expect(page.previousCursors).toHaveLength(61);
    expect(page.previousCursors.at(-1)).toBe(cursor(59));
  });

  it('escapeCut never splits an entity or an emoji', () => {
    expect(escapeCut('&&&&', 7)).toBe('&amp;…');
    expect(escapeCut('😀😀😀', 4)).toBe('😀…');
  });
});
